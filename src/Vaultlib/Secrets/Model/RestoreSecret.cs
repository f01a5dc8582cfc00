namespace Vaultlib.Secrets;

/// <summary>RestoreSecret request: cancels a scheduled deletion.</summary>
public sealed record RestoreSecretRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }
}

/// <summary>RestoreSecret response.</summary>
public sealed record RestoreSecretResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }
}
