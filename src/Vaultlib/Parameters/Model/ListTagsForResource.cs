namespace Vaultlib.Parameters;

/// <summary>ListTagsForResource request (for parameters).</summary>
public sealed record ListTagsForResourceRequest
{
    /// <summary><c>Parameter</c>.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The parameter's name.</summary>
    public required string ResourceId { get; init; }
}

/// <summary>ListTagsForResource response.</summary>
public sealed record ListTagsForResourceResponse
{
    /// <summary>The tags, in key order.</summary>
    public required IReadOnlyList<Tag> TagList { get; init; }
}
