namespace Vaultlib.Parameters;

/// <summary>RemoveTagsFromResource request (for parameters).</summary>
public sealed record RemoveTagsFromResourceRequest
{
    /// <summary><c>Parameter</c>.</summary>
    public required string ResourceType { get; init; }

    /// <summary>The parameter's name.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The tag keys to remove.</summary>
    public required IReadOnlyList<string> TagKeys { get; init; }
}

/// <summary>RemoveTagsFromResource response (empty).</summary>
public sealed record RemoveTagsFromResourceResponse;
