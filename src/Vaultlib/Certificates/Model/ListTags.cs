namespace Vaultlib.Certificates;

/// <summary>ListTags request.</summary>
public sealed record ListTagsRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The most tags on a page, 1-1,000.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the previous page.</summary>
    public string? NextToken { get; init; }
}

/// <summary>ListTags response.</summary>
public sealed record ListTagsResponse
{
    /// <summary>The CA's tags on this page, by key.</summary>
    public required IReadOnlyList<Tag> Tags { get; init; }

    /// <summary>The token of the next page, if any.</summary>
    public string? NextToken { get; init; }
}
