using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ListGrants request.</summary>
public sealed record ListGrantsRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Only this grant.</summary>
    public string? GrantId { get; init; }

    /// <summary>Only grants for this principal.</summary>
    public string? GranteePrincipal { get; init; }

    /// <summary>Page size, 1-100 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's NextMarker.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListGrants and ListRetirableGrants response.</summary>
public sealed record ListGrantsResponse
{
    /// <summary>The grants on this page.</summary>
    public required IReadOnlyList<GrantListEntry> Grants { get; init; }

    /// <summary>Pass as Marker for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
