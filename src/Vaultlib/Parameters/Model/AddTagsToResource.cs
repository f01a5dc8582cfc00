namespace Vaultlib.Parameters;

/// <summary>AddTagsToResource request (for parameters).</summary>
public sealed record AddTagsToResourceRequest
{
    /// <summary><c>Parameter</c>.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The parameter's name.</summary>
    public required string ResourceId { get; init; }

    /// <summary>1-50 tags; a key already present gets the new value.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }
}

/// <summary>AddTagsToResource response (empty).</summary>
public sealed record AddTagsToResourceResponse;
