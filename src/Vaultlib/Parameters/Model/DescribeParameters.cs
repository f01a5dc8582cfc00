namespace Vaultlib.Parameters;

/// <summary>DescribeParameters request.</summary>
public sealed record DescribeParametersRequest
{
    /// <summary>The older filters (<c>Name</c>, <c>Type</c>, <c>KeyId</c>); not with <see cref="ParameterFilters"/>.</summary>
    public IReadOnlyList<ParametersFilter>? Filters { get; init; }

    /// <summary>Filters on <c>Name</c>, <c>Path</c>, <c>Type</c>, <c>KeyId</c>, <c>Label</c>, <c>Tier</c>, <c>DataType</c> and <c>tag:…</c>.</summary>
    public IReadOnlyList<ParameterStringFilter>? ParameterFilters { get; init; }

    /// <summary>1-50 per page (default 50).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the previous page.</summary>
    public string? NextToken { get; init; }
}

/// <summary>DescribeParameters response.</summary>
public sealed record DescribeParametersResponse
{
    /// <summary>This page, in name order.</summary>
    public required IReadOnlyList<ParameterMetadata> Parameters { get; init; }

    /// <summary>The token of the next page.</summary>
    public string? NextToken { get; init; }
}
