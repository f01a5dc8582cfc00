namespace Vaultlib.Secrets;

/// <summary>GetResourcePolicy request.</summary>
public sealed record GetResourcePolicyRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }
}

/// <summary>GetResourcePolicy response.</summary>
public sealed record GetResourcePolicyResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The policy as JSON; null when the secret has none.</summary>
    public string? ResourcePolicy { get; init; }
}
