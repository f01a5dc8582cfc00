namespace Vaultlib.Keys;

/// <summary>ListKeys request.</summary>
public sealed record ListKeysRequest
{
    /// <summary>Page size, 1-1000 (default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListKeys response.</summary>
public sealed record ListKeysResponse
{
    /// <summary>The keys on this page.</summary>
    public required IReadOnlyList<KeyListEntry> Keys { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page; null on the last page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
