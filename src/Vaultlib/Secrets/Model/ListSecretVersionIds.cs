namespace Vaultlib.Secrets;

/// <summary>ListSecretVersionIds request.</summary>
public sealed record ListSecretVersionIdsRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>At most this many a page, 1-100.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token from the previous page.</summary>
    public string? NextToken { get; init; }

    /// <summary>Whether versions with no staging label (deprecated, pruned in time) are listed too.</summary>
    public bool? IncludeDeprecated { get; init; }
}

/// <summary>ListSecretVersionIds response.</summary>
public sealed record ListSecretVersionIdsResponse
{
    /// <summary>The versions of this page, newest first.</summary>
    public required IReadOnlyList<SecretVersionsListEntry> Versions { get; init; }

    /// <summary>The token for the next page, if any.</summary>
    public string? NextToken { get; init; }

    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }
}
