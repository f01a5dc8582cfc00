namespace Vaultlib.Secrets;

/// <summary>BatchGetSecretValue request: <see cref="SecretIdList"/> (1-20) or <see cref="Filters"/>, never both.</summary>
public sealed record BatchGetSecretValueRequest
{
    /// <summary>The secrets, 1-20, each by name, full ARN or partial ARN.</summary>
    public IReadOnlyList<string>? SecretIdList { get; init; }

    /// <summary>Filters, as ListSecrets takes them.</summary>
    public IReadOnlyList<Filter>? Filters { get; init; }

    /// <summary>With <see cref="Filters"/>: at most this many values a page, 1-20.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token from the previous page.</summary>
    public string? NextToken { get; init; }
}

/// <summary>BatchGetSecretValue response.</summary>
public sealed record BatchGetSecretValueResponse
{
    /// <summary>The AWSCURRENT value of each secret that could be read.</summary>
    public required IReadOnlyList<SecretValueEntry> SecretValues { get; init; }

    /// <summary>The secrets that could not be read, with AWS's error code for each.</summary>
    public required IReadOnlyList<APIErrorType> Errors { get; init; }

    /// <summary>The token for the next page, if any.</summary>
    public string? NextToken { get; init; }
}
