using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ListKeyRotations request.</summary>
public sealed record ListKeyRotationsRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Page size, 1-1000 (default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListKeyRotations response, oldest rotation first.</summary>
public sealed record ListKeyRotationsResponse
{
    /// <summary>Rotations on this page.</summary>
    public required IReadOnlyList<RotationsListEntry> Rotations { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
