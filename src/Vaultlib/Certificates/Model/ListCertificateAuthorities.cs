namespace Vaultlib.Certificates;

/// <summary>ListCertificateAuthorities request.</summary>
public sealed record ListCertificateAuthoritiesRequest
{
    /// <summary>The most CAs on a page, 1-1,000.</summary>
    public int? MaxResults { get; init; }

    /// <summary>The token of the previous page.</summary>
    public string? NextToken { get; init; }

    /// <summary><c>SELF</c> (the default) or <c>OTHER_ACCOUNTS</c> (CAs shared through AWS RAM, of which Vaultlib has none).</summary>
    public string? ResourceOwner { get; init; }
}

/// <summary>ListCertificateAuthorities response.</summary>
public sealed record ListCertificateAuthoritiesResponse
{
    /// <summary>The CAs on this page, in creation order.</summary>
    public required IReadOnlyList<CertificateAuthority> CertificateAuthorities { get; init; }

    /// <summary>The token of the next page, if any.</summary>
    public string? NextToken { get; init; }
}
