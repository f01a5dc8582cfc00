using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ListKeyPolicies request.</summary>
public sealed record ListKeyPoliciesRequest : IKeyIdRequest
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
