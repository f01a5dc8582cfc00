namespace Vaultlib.Certificates.Acm;

/// <summary>ListCertificates request.</summary>
public sealed record ListCertificatesRequest
{
    /// <summary>Only certificates in these statuses (all when absent).</summary>
    public IReadOnlyList<CertificateStatus>? CertificateStatuses { get; init; }

    /// <summary>Filters; without <c>keyTypes</c>, only RSA_1024 and RSA_2048 certificates are listed, as AWS does.</summary>
    public Filters? Includes { get; init; }

    /// <summary>The token of the previous page.</summary>
    public string? NextToken { get; init; }

    /// <summary>The page size, 1-1,000.</summary>
    public int? MaxItems { get; init; }

    /// <summary>Sort key (only with <see cref="SortOrder"/>).</summary>
    public SortBy? SortBy { get; init; }

    /// <summary>Sort direction (only with <see cref="SortBy"/>).</summary>
    public SortOrder? SortOrder { get; init; }
}

/// <summary>ListCertificates filters (AWS <c>Filters</c>; its members are lower-camel-case in AWS).</summary>
public sealed record Filters
{
    /// <summary>Certificates with any of these extended key usages.</summary>
    public IReadOnlyList<ExtendedKeyUsageName>? ExtendedKeyUsage { get; init; }

    /// <summary>Certificates with any of these key usages.</summary>
    public IReadOnlyList<KeyUsageName>? KeyUsage { get; init; }

    /// <summary>Certificates with any of these key algorithms (default RSA_1024 and RSA_2048).</summary>
    public IReadOnlyList<KeyAlgorithm>? KeyTypes { get; init; }

    /// <summary>Certificates whose export option is this.</summary>
    public CertificateExport? ExportOption { get; init; }
}

/// <summary>ListCertificates response.</summary>
public sealed record ListCertificatesResponse
{
    /// <summary>The token of the next page, if any.</summary>
    public string? NextToken { get; init; }

    /// <summary>The certificates.</summary>
    public required IReadOnlyList<CertificateSummary> CertificateSummaryList { get; init; }
}

/// <summary>One certificate in a list (AWS <c>CertificateSummary</c>).</summary>
public sealed record CertificateSummary
{
    /// <summary>Its ARN.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>Its first domain.</summary>
    public required string DomainName { get; init; }

    /// <summary>Its domains (at most the first 100).</summary>
    public required IReadOnlyList<string> SubjectAlternativeNameSummaries { get; init; }

    /// <summary>Whether it names more domains than listed.</summary>
    public bool? HasAdditionalSubjectAlternativeNames { get; init; }

    /// <summary>Its status.</summary>
    public required CertificateStatus Status { get; init; }

    /// <summary>Where it came from.</summary>
    public required CertificateType Type { get; init; }

    /// <summary>Its key's algorithm.</summary>
    public required KeyAlgorithm KeyAlgorithm { get; init; }

    /// <summary>Its key usages.</summary>
    public IReadOnlyList<KeyUsageName>? KeyUsages { get; init; }

    /// <summary>Its extended key usages.</summary>
    public IReadOnlyList<ExtendedKeyUsageName>? ExtendedKeyUsages { get; init; }

    /// <summary>Whether it can be exported.</summary>
    public CertificateExport? ExportOption { get; init; }

    /// <summary>Whether a resource uses it.</summary>
    public bool? InUse { get; init; }

    /// <summary>Whether it was exported.</summary>
    public bool? Exported { get; init; }

    /// <summary>Whether ACM renews it.</summary>
    public RenewalEligibility? RenewalEligibility { get; init; }

    /// <summary>The start of its validity.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The end of its validity.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>When it was requested.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was issued.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>When it was imported.</summary>
    public DateTimeOffset? ImportedAt { get; init; }

    /// <summary>When it was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; init; }
}
