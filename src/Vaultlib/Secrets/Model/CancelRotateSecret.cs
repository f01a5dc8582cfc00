namespace Vaultlib.Secrets;

/// <summary>CancelRotateSecret request: turns automatic rotation off.</summary>
public sealed record CancelRotateSecretRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }
}

/// <summary>CancelRotateSecret response.</summary>
public sealed record CancelRotateSecretResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The version a rotation in progress made (still labelled AWSPENDING, for you to remove), if any.</summary>
    public string? VersionId { get; init; }
}
