namespace Vaultlib.Secrets;

/// <summary>ListSecrets request.</summary>
public sealed record ListSecretsRequest
{
    /// <summary>Whether secrets scheduled for deletion are listed too.</summary>
    public bool? IncludePlannedDeletion { get; init; }

    /// <summary>At most this many a page, 1-100.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token from the previous page.</summary>
    public string? NextToken { get; init; }

    /// <summary>Filters, at most 10; a secret is listed when it matches every one.</summary>
    public IReadOnlyList<Filter>? Filters { get; init; }

    /// <summary><c>asc</c> or <c>desc</c>, by creation date (default <c>desc</c>, as AWS lists).</summary>
    public string? SortOrder { get; init; }
}

/// <summary>ListSecrets response.</summary>
public sealed record ListSecretsResponse
{
    /// <summary>The secrets of this page.</summary>
    public required IReadOnlyList<SecretListEntry> SecretList { get; init; }

    /// <summary>The token for the next page, if any.</summary>
    public string? NextToken { get; init; }
}
