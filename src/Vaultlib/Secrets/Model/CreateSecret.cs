using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>CreateSecret request.</summary>
public sealed record CreateSecretRequest
{
    /// <summary>The name: 1-512 of letters, digits and <c>/_+=.@-</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the first version (32-64 characters; a new UUID when absent), which makes the request idempotent.</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>The description, at most 2,048 characters.</summary>
    public string? Description { get; init; }

    /// <summary>The KMS key that encrypts the values (default <c>alias/aws/secretsmanager</c>).</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>A binary value, 1-65,536 bytes (not with <see cref="SecretString"/>).</summary>
    public ReadOnlyMemory<byte>? SecretBinary { get; init; }

    /// <summary>A string value, 1-65,536 bytes in UTF-8 (not with <see cref="SecretBinary"/>).</summary>
    [Sensitive]
    public string? SecretString { get; init; }

    /// <summary>Tags, at most 50.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Regions to replicate the secret to, each with its KMS key.</summary>
    public IReadOnlyList<ReplicaRegionType>? AddReplicaRegions { get; init; }

    /// <summary>Overwrite a secret of the same name in a replica region (otherwise that replica fails).</summary>
    public bool? ForceOverwriteReplicaSecret { get; init; }

    /// <summary>Print the request without its value.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name);
        return true;
    }
}

/// <summary>CreateSecret response.</summary>
public sealed record CreateSecretResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The first version's id; null when the secret was created without a value.</summary>
    public string? VersionId { get; init; }

    /// <summary>Each replica's state, when the request asked for replicas.</summary>
    public IReadOnlyList<ReplicationStatusType>? ReplicationStatus { get; init; }
}
