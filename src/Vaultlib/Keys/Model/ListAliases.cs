namespace Vaultlib.Keys;

/// <summary>ListAliases request.</summary>
public sealed record ListAliasesRequest
{
    /// <summary>Only aliases of this key (key id or key ARN).</summary>
    public string? KeyId { get; init; }

    /// <summary>Page size, 1-100 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListAliases response.</summary>
public sealed record ListAliasesResponse
{
    /// <summary>Aliases on this page, ordered by name.</summary>
    public required IReadOnlyList<AliasListEntry> Aliases { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
