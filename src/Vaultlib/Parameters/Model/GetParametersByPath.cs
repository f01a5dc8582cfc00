namespace Vaultlib.Parameters;

/// <summary>GetParametersByPath request.</summary>
public sealed record GetParametersByPathRequest
{
    /// <summary>A path beginning with <c>/</c> (up to 15 levels).</summary>
    public required string Path { get; init; }

    /// <summary>Every level below the path, not only the one directly under it.</summary>
    public bool? Recursive { get; init; }

    /// <summary>Filters on <c>Type</c>, <c>KeyId</c>, <c>Label</c> and <c>tag:…</c>.</summary>
    public IReadOnlyList<ParameterStringFilter>? ParameterFilters { get; init; }

    /// <summary>Decrypt SecureStrings.</summary>
    public bool? WithDecryption { get; init; }

    /// <summary>1-10 parameters per page (default 10).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the previous page.</summary>
    public string? NextToken { get; init; }
}

/// <summary>GetParametersByPath response.</summary>
public sealed record GetParametersByPathResponse
{
    /// <summary>This page, in name order; possibly short or empty with a token, as in AWS.</summary>
    public required IReadOnlyList<Parameter> Parameters { get; init; }

    /// <summary>The token of the next page, when there may be one.</summary>
    public string? NextToken { get; init; }
}
