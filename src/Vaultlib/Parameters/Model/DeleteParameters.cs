namespace Vaultlib.Parameters;

/// <summary>DeleteParameters request.</summary>
public sealed record DeleteParametersRequest
{
    /// <summary>1-10 names.</summary>
    public required IReadOnlyList<string> Names { get; init; }
}

/// <summary>DeleteParameters response.</summary>
public sealed record DeleteParametersResponse
{
    /// <summary>The names deleted.</summary>
    public required IReadOnlyList<string> DeletedParameters { get; init; }

    /// <summary>The names that named no parameter.</summary>
    public required IReadOnlyList<string> InvalidParameters { get; init; }
}
