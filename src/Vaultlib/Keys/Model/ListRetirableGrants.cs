namespace Vaultlib.Keys;

/// <summary>ListRetirableGrants request.</summary>
public sealed record ListRetirableGrantsRequest
{
    /// <summary>The retiring principal.</summary>
    public required string RetiringPrincipal { get; init; }

    /// <summary>Page size, 1-100 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's NextMarker.</summary>
    public string? Marker { get; init; }
}
