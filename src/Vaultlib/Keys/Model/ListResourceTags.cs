using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ListResourceTags request.</summary>
public sealed record ListResourceTagsRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Page size, 1-50 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListResourceTags response.</summary>
public sealed record ListResourceTagsResponse
{
    /// <summary>Tags on this page, ordered by key.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
