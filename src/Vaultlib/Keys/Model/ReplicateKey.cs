using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ReplicateKey request.</summary>
public sealed record ReplicateKeyRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of a multi-Region primary key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The Region to create the replica in: another Region of the same <see cref="VaultlibHost"/>.</summary>
    public required string ReplicaRegion { get; init; }

    /// <summary>The replica's key policy (not a shared property); the default key policy when omitted.</summary>
    public string? Policy { get; init; }

    /// <summary>Skips the policy lockout safety check.</summary>
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }

    /// <summary>The replica's description (not a shared property), 0-8192 characters; empty when omitted.</summary>
    public string? Description { get; init; }

    /// <summary>The replica's tags (not a shared property), up to 50.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }
}

/// <summary>ReplicateKey response.</summary>
public sealed record ReplicateKeyResponse
{
    /// <summary>The replica key, in its Region.</summary>
    public required KeyMetadata ReplicaKeyMetadata { get; init; }

    /// <summary>The replica's key policy.</summary>
    public required string ReplicaPolicy { get; init; }

    /// <summary>The replica's tags.</summary>
    public required IReadOnlyList<Tag> ReplicaTags { get; init; }
}
