namespace Vaultlib.Secrets;

/// <summary>PutResourcePolicy request.</summary>
public sealed record PutResourcePolicyRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The policy, as JSON (1-20,480 characters).</summary>
    public required string ResourcePolicy { get; init; }

    /// <summary>Refuse a policy that gives broad access (a wildcard principal), with <see cref="PublicPolicyException"/>. Not blocked by default, as in AWS.</summary>
    public bool? BlockPublicPolicy { get; init; }
}

/// <summary>PutResourcePolicy response.</summary>
public sealed record PutResourcePolicyResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }
}
