namespace Vaultlib.Parameters;

/// <summary>GetParameterHistory request.</summary>
public sealed record GetParameterHistoryRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>Decrypt SecureString values.</summary>
    public bool? WithDecryption { get; init; }

    /// <summary>1-50 versions per page (default 50).</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the previous page.</summary>
    public string? NextToken { get; init; }
}

/// <summary>GetParameterHistory response.</summary>
public sealed record GetParameterHistoryResponse
{
    /// <summary>Versions, oldest first.</summary>
    public required IReadOnlyList<ParameterHistory> Parameters { get; init; }

    /// <summary>The token of the next page.</summary>
    public string? NextToken { get; init; }
}
