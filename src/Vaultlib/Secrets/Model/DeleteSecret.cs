namespace Vaultlib.Secrets;

/// <summary>DeleteSecret request: scheduled after a recovery window (7-30 days, default 30), or at once with <see cref="ForceDeleteWithoutRecovery"/>.</summary>
public sealed record DeleteSecretRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>Days before the secret is purged, 7-30 (not with <see cref="ForceDeleteWithoutRecovery"/>).</summary>
    public long? RecoveryWindowInDays { get; init; }

    /// <summary>Purges the secret at once, with no way back.</summary>
    public bool? ForceDeleteWithoutRecovery { get; init; }
}

/// <summary>DeleteSecret response.</summary>
public sealed record DeleteSecretResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>When the secret is (or was) purged.</summary>
    public required DateTimeOffset DeletionDate { get; init; }
}
