namespace Vaultlib.Secrets;

/// <summary>RemoveRegionsFromReplication request: deletes the replicas in those regions.</summary>
public sealed record RemoveRegionsFromReplicationRequest
{
    /// <summary>The primary secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The regions whose replicas go.</summary>
    public required IReadOnlyList<string> RemoveReplicaRegions { get; init; }
}

/// <summary>RemoveRegionsFromReplication response.</summary>
public sealed record RemoveRegionsFromReplicationResponse
{
    /// <summary>The primary secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The replicas that remain.</summary>
    public required IReadOnlyList<ReplicationStatusType> ReplicationStatus { get; init; }
}
