namespace Vaultlib.Secrets;

/// <summary>ValidateResourcePolicy request.</summary>
public sealed record ValidateResourcePolicyRequest
{
    /// <summary>The secret the policy is for (optional).</summary>
    public string? SecretId { get; init; }

    /// <summary>The policy, as JSON (1-20,480 characters).</summary>
    public required string ResourcePolicy { get; init; }
}

/// <summary>ValidateResourcePolicy response.</summary>
public sealed record ValidateResourcePolicyResponse
{
    /// <summary>Whether the policy passed every check.</summary>
    public required bool PolicyValidationPassed { get; init; }

    /// <summary>The checks it failed.</summary>
    public required IReadOnlyList<ValidationErrorsEntry> ValidationErrors { get; init; }
}

/// <summary>A check a resource policy failed.</summary>
public sealed record ValidationErrorsEntry
{
    /// <summary>The check.</summary>
    public required string CheckName { get; init; }

    /// <summary>What is wrong.</summary>
    public required string ErrorMessage { get; init; }
}
