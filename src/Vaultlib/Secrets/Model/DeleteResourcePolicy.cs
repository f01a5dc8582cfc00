namespace Vaultlib.Secrets;

/// <summary>DeleteResourcePolicy request.</summary>
public sealed record DeleteResourcePolicyRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }
}

/// <summary>DeleteResourcePolicy response.</summary>
public sealed record DeleteResourcePolicyResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }
}
