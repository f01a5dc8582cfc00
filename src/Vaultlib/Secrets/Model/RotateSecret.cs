namespace Vaultlib.Secrets;

/// <summary>RotateSecret request: sets the rotation function and schedule, and (unless <see cref="RotateImmediately"/> is false) rotates now.</summary>
public sealed record RotateSecretRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The new version's id (32-64 characters; a new UUID when absent).</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>The ARN the rotation function is registered under (kept from before when absent).</summary>
    public string? RotationLambdaARN { get; init; }

    /// <summary>The schedule (kept from before when absent).</summary>
    public RotationRulesType? RotationRules { get; init; }

    /// <summary>Rotate now (default true); false runs only the <c>testSecret</c> step now and rotates on schedule.</summary>
    public bool? RotateImmediately { get; init; }
}

/// <summary>RotateSecret response.</summary>
public sealed record RotateSecretResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The id of the version the rotation made; null when it did not rotate now.</summary>
    public string? VersionId { get; init; }
}
