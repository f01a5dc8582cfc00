namespace Vaultlib.Certificates.Acm;

/// <summary>A certificate as DescribeCertificate reports it (AWS <c>CertificateDetail</c>). Never carries its private key.</summary>
public sealed record CertificateDetail
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }

    /// <summary>The first domain (the subject's common name).</summary>
    public required string DomainName { get; init; }

    /// <summary>Every domain the certificate names, <see cref="DomainName"/> first.</summary>
    public required IReadOnlyList<string> SubjectAlternativeNames { get; init; }

    /// <summary>Per domain: how it is validated, and its record or mail.</summary>
    public IReadOnlyList<DomainValidation>? DomainValidationOptions { get; init; }

    /// <summary>The serial number, as colon-separated hex pairs.</summary>
    public string? Serial { get; init; }

    /// <summary>The subject's distinguished name.</summary>
    public string? Subject { get; init; }

    /// <summary>The issuer's distinguished name.</summary>
    public string? Issuer { get; init; }

    /// <summary>When it was requested (not for imports).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was (last) issued.</summary>
    public DateTimeOffset? IssuedAt { get; init; }

    /// <summary>When it was (last) imported.</summary>
    public DateTimeOffset? ImportedAt { get; init; }

    /// <summary>Its status.</summary>
    public required CertificateStatus Status { get; init; }

    /// <summary>When it was revoked.</summary>
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Why it was revoked.</summary>
    public RevocationReason? RevocationReason { get; init; }

    /// <summary>The start of its validity.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The end of its validity.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Its key's algorithm.</summary>
    public required KeyAlgorithm KeyAlgorithm { get; init; }

    /// <summary>The algorithm its issuer signed it with (e.g. <c>SHA256WITHECDSA</c>).</summary>
    public string? SignatureAlgorithm { get; init; }

    /// <summary>The resources that use it.</summary>
    public required IReadOnlyList<string> InUseBy { get; init; }

    /// <summary>Why it could not be issued.</summary>
    public FailureReason? FailureReason { get; init; }

    /// <summary>Where it came from.</summary>
    public required CertificateType Type { get; init; }

    /// <summary>Its last managed renewal, once one has begun.</summary>
    public RenewalSummary? RenewalSummary { get; init; }

    /// <summary>Its key usages.</summary>
    public IReadOnlyList<KeyUsage>? KeyUsages { get; init; }

    /// <summary>Its extended key usages.</summary>
    public IReadOnlyList<ExtendedKeyUsage>? ExtendedKeyUsages { get; init; }

    /// <summary>The Private CA that issued it (private certificates).</summary>
    public string? CertificateAuthorityArn { get; init; }

    /// <summary>Whether ACM renews it on its own.</summary>
    public required RenewalEligibility RenewalEligibility { get; init; }

    /// <summary>Its options (transparency logging, export).</summary>
    public CertificateOptions? Options { get; init; }
}

/// <summary>One domain's validation (AWS <c>DomainValidation</c>).</summary>
public sealed record DomainValidation
{
    /// <summary>The domain.</summary>
    public required string DomainName { get; init; }

    /// <summary>For email validation: the addresses mailed.</summary>
    public IReadOnlyList<string>? ValidationEmails { get; init; }

    /// <summary>The domain whose ownership proves <see cref="DomainName"/>'s (itself or a superdomain).</summary>
    public string? ValidationDomain { get; init; }

    /// <summary>Whether it is proven.</summary>
    public DomainStatus? ValidationStatus { get; init; }

    /// <summary>For DNS validation: the CNAME record to add to the domain's zone.</summary>
    public ResourceRecord? ResourceRecord { get; init; }

    /// <summary>How it is validated.</summary>
    public ValidationMethod? ValidationMethod { get; init; }
}

/// <summary>A DNS record that proves a domain (AWS <c>ResourceRecord</c>).</summary>
public sealed record ResourceRecord
{
    /// <summary>The record's name: <c>_&lt;32 hex&gt;.&lt;domain&gt;.</c></summary>
    public required string Name { get; init; }

    /// <summary>Always <see cref="RecordType.CNAME"/>.</summary>
    public required RecordType Type { get; init; }

    /// <summary>The record's value: <c>_&lt;32 hex&gt;.&lt;10 characters&gt;.acm-validations.aws.</c></summary>
    public required string Value { get; init; }
}

/// <summary>The state of a managed renewal (AWS <c>RenewalSummary</c>).</summary>
public sealed record RenewalSummary
{
    /// <summary>Where the renewal stands.</summary>
    public required RenewalStatus RenewalStatus { get; init; }

    /// <summary>The domains' validation for the renewal.</summary>
    public required IReadOnlyList<DomainValidation> DomainValidationOptions { get; init; }

    /// <summary>Why it failed.</summary>
    public FailureReason? RenewalStatusReason { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A certificate's options (AWS <c>CertificateOptions</c>).</summary>
public sealed record CertificateOptions
{
    /// <summary>Whether it is logged to Certificate Transparency logs (default ENABLED).</summary>
    public CertificateTransparencyLoggingPreference? CertificateTransparencyLoggingPreference { get; init; }

    /// <summary>Whether a public certificate can be exported (default DISABLED).</summary>
    public CertificateExport? Export { get; init; }
}

/// <summary>A key usage (AWS <c>KeyUsage</c>).</summary>
public sealed record KeyUsage
{
    /// <summary>The usage.</summary>
    public required KeyUsageName Name { get; init; }
}

/// <summary>An extended key usage (AWS <c>ExtendedKeyUsage</c>).</summary>
public sealed record ExtendedKeyUsage
{
    /// <summary>The usage.</summary>
    public required ExtendedKeyUsageName Name { get; init; }

    /// <summary>Its object identifier.</summary>
    public string? OID { get; init; }
}

/// <summary>A domain's validation domain for a request (AWS <c>DomainValidationOption</c>).</summary>
public sealed record DomainValidationOption
{
    /// <summary>A domain of the request.</summary>
    public required string DomainName { get; init; }

    /// <summary>The domain (itself or a superdomain) whose contacts are mailed.</summary>
    public required string ValidationDomain { get; init; }
}

/// <summary>A key-value tag of a certificate (AWS <c>Tag</c>).</summary>
public sealed record Tag : IKeyValueTag
{
    /// <summary>The key, 1-128 characters.</summary>
    public required string Key { get; init; }

    /// <summary>The value, 0-256 characters.</summary>
    public string? Value { get; init; }
}
