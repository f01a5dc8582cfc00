namespace Vaultlib.Keys;

/// <summary>CreateKey request.</summary>
public sealed record CreateKeyRequest
{
    /// <summary>Description, 0-8192 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Default <see cref="KeyUsageType.ENCRYPT_DECRYPT"/>.</summary>
    public KeyUsageType? KeyUsage { get; init; }

    /// <summary>Default <see cref="KeySpec.SYMMETRIC_DEFAULT"/>.</summary>
    public KeySpec? KeySpec { get; init; }

    /// <summary>Default <see cref="OriginType.AWS_KMS"/>; <see cref="OriginType.EXTERNAL"/> makes a key with no material, waiting in <see cref="KeyState.PendingImport"/> for ImportKeyMaterial. Custom key stores are not supported.</summary>
    public OriginType? Origin { get; init; }

    /// <summary>Up to 50 tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>Creates a multi-Region primary key (id <c>mrk-…</c>).</summary>
    public bool? MultiRegion { get; init; }

    /// <summary>The key policy (JSON, up to 32768 characters); the default key policy when omitted.</summary>
    public string? Policy { get; init; }

    /// <summary>Skips the policy lockout safety check.</summary>
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }
}

/// <summary>CreateKey response.</summary>
public sealed record CreateKeyResponse
{
    /// <summary>The new key.</summary>
    public required KeyMetadata KeyMetadata { get; init; }
}
