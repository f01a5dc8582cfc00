namespace Vaultlib.Keys;

/// <summary>PutKeyPolicy request.</summary>
public sealed record PutKeyPolicyRequest
{
    /// <summary>Any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always <c>default</c> (the only key policy name).</summary>
    public string? PolicyName { get; init; }

    /// <summary>The key policy, 1-32768 characters of IAM policy JSON.</summary>
    public required string Policy { get; init; }

    /// <summary>Skips the check that the new policy still lets the caller change it.</summary>
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }
}

/// <summary>PutKeyPolicy response (empty).</summary>
public sealed record PutKeyPolicyResponse;

/// <summary>GetKeyPolicy request.</summary>
public sealed record GetKeyPolicyRequest
{
    /// <summary>Any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always <c>default</c>.</summary>
    public string? PolicyName { get; init; }
}

/// <summary>GetKeyPolicy response.</summary>
public sealed record GetKeyPolicyResponse
{
    /// <summary>The key policy.</summary>
    public required string Policy { get; init; }

    /// <summary><c>default</c>.</summary>
    public required string PolicyName { get; init; }
}

/// <summary>ListKeyPolicies request.</summary>
public sealed record ListKeyPoliciesRequest
{
    /// <summary>Any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Page size, 1-1000.</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's NextMarker.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListKeyPolicies response: always the one policy, <c>default</c>.</summary>
public sealed record ListKeyPoliciesResponse
{
    /// <summary>The policy names.</summary>
    public required IReadOnlyList<string> PolicyNames { get; init; }

    /// <summary>Pass as Marker for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
