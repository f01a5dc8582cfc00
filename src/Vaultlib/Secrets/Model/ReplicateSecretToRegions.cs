namespace Vaultlib.Secrets;

/// <summary>ReplicateSecretToRegions request.</summary>
public sealed record ReplicateSecretToRegionsRequest
{
    /// <summary>The primary secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The regions to add, each with its KMS key.</summary>
    public required IReadOnlyList<ReplicaRegionType> AddReplicaRegions { get; init; }

    /// <summary>Overwrite a secret of the same name in a region (otherwise that replica fails).</summary>
    public bool? ForceOverwriteReplicaSecret { get; init; }
}

/// <summary>ReplicateSecretToRegions response.</summary>
public sealed record ReplicateSecretToRegionsResponse
{
    /// <summary>The primary secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>Every replica's state.</summary>
    public required IReadOnlyList<ReplicationStatusType> ReplicationStatus { get; init; }
}
