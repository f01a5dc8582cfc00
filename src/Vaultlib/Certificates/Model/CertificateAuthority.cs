namespace Vaultlib.Certificates;

/// <summary>A private CA as DescribeCertificateAuthority and ListCertificateAuthorities return it (AWS <c>CertificateAuthority</c>).</summary>
public sealed record CertificateAuthority
{
    /// <summary>The CA's ARN: <c>arn:aws:acm-pca:&lt;region&gt;:&lt;account&gt;:certificate-authority/&lt;id&gt;</c>.</summary>
    public required string Arn { get; init; }

    /// <summary>The account that owns it.</summary>
    public required string OwnerAccount { get; init; }

    /// <summary>When it was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its status last changed.</summary>
    public required DateTimeOffset LastStateChangeAt { get; init; }

    /// <summary>Root or subordinate.</summary>
    public required CertificateAuthorityType Type { get; init; }

    /// <summary>Its certificate's serial number (colon-separated hex), once it has one.</summary>
    public string? Serial { get; init; }

    /// <summary>Its state.</summary>
    public required CertificateAuthorityStatus Status { get; init; }

    /// <summary>When its certificate becomes valid, once it has one.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>When its certificate expires, once it has one.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>Its key, signing algorithm and subject.</summary>
    public required CertificateAuthorityConfiguration CertificateAuthorityConfiguration { get; init; }

    /// <summary>Its CRL and OCSP settings.</summary>
    public RevocationConfiguration? RevocationConfiguration { get; init; }

    /// <summary>Until when a deleted CA can be restored.</summary>
    public DateTimeOffset? RestorableUntil { get; init; }

    /// <summary>The key storage standard (Vaultlib keeps the key sealed in the vault; reported as given).</summary>
    public string? KeyStorageSecurityStandard { get; init; }

    /// <summary>General purpose or short-lived certificates.</summary>
    public required CertificateAuthorityUsageMode UsageMode { get; init; }
}

/// <summary>A CA's key, signing algorithm and subject (AWS <c>CertificateAuthorityConfiguration</c>).</summary>
public sealed record CertificateAuthorityConfiguration
{
    /// <summary>The CA's key type.</summary>
    public required KeyAlgorithm KeyAlgorithm { get; init; }

    /// <summary>How it signs; must suit the key (ECDSA for EC keys, RSA for RSA keys).</summary>
    public required SigningAlgorithm SigningAlgorithm { get; init; }

    /// <summary>Its distinguished name.</summary>
    public required ASN1Subject Subject { get; init; }
}

/// <summary>A distinguished name as AWS spells its parts (AWS <c>ASN1Subject</c>); at least one part is needed.</summary>
public sealed record ASN1Subject
{
    /// <summary>Two-letter country code (C).</summary>
    public string? Country { get; init; }

    /// <summary>Organization (O), at most 64 characters.</summary>
    public string? Organization { get; init; }

    /// <summary>Organizational unit (OU), at most 64 characters.</summary>
    public string? OrganizationalUnit { get; init; }

    /// <summary>Distinguished name qualifier, at most 64 printable characters.</summary>
    public string? DistinguishedNameQualifier { get; init; }

    /// <summary>State or province (ST), at most 128 characters.</summary>
    public string? State { get; init; }

    /// <summary>Common name (CN), at most 64 characters.</summary>
    public string? CommonName { get; init; }

    /// <summary>Serial number attribute, at most 64 printable characters.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>Locality (L), at most 128 characters.</summary>
    public string? Locality { get; init; }

    /// <summary>Title, at most 64 characters.</summary>
    public string? Title { get; init; }

    /// <summary>Surname, at most 40 characters.</summary>
    public string? Surname { get; init; }

    /// <summary>Given name, at most 16 characters.</summary>
    public string? GivenName { get; init; }

    /// <summary>Initials, at most 5 characters.</summary>
    public string? Initials { get; init; }

    /// <summary>Pseudonym, at most 128 characters.</summary>
    public string? Pseudonym { get; init; }

    /// <summary>Generation qualifier, at most 3 characters.</summary>
    public string? GenerationQualifier { get; init; }
}

/// <summary>A CA's revocation settings (AWS <c>RevocationConfiguration</c>).</summary>
public sealed record RevocationConfiguration
{
    /// <summary>The CRL settings.</summary>
    public CrlConfiguration? CrlConfiguration { get; init; }

    /// <summary>The OCSP settings.</summary>
    public OcspConfiguration? OcspConfiguration { get; init; }
}

/// <summary>A CA's CRL settings (AWS <c>CrlConfiguration</c>).</summary>
public sealed record CrlConfiguration
{
    /// <summary>Whether the CA publishes a CRL.</summary>
    public required bool Enabled { get; init; }

    /// <summary>How long each CRL is valid, 1-5,000 days (default 7).</summary>
    public int? ExpirationInDays { get; init; }

    /// <summary>The host name written into the CRL distribution point instead of the default.</summary>
    public string? CustomCname { get; init; }

    /// <summary>The bucket AWS writes the CRL to; recorded as given (Vaultlib serves the CRL itself).</summary>
    public string? S3BucketName { get; init; }
}

/// <summary>A CA's OCSP settings (AWS <c>OcspConfiguration</c>).</summary>
public sealed record OcspConfiguration
{
    /// <summary>Whether the CA answers OCSP.</summary>
    public required bool Enabled { get; init; }

    /// <summary>The host name written into the AIA extension instead of the default.</summary>
    public string? OcspCustomCname { get; init; }
}

/// <summary>How long a certificate is valid, or when it starts (AWS <c>Validity</c>).</summary>
public sealed record Validity
{
    /// <summary>The amount (days, months, years), the end date as <c>YYYYMMDDHHMMSS</c>, or epoch seconds; at least 1.</summary>
    public required long Value { get; init; }

    /// <summary>How <see cref="Value"/> is read.</summary>
    public required ValidityPeriodType Type { get; init; }
}

/// <summary>A key-value tag of a CA (AWS <c>Tag</c>).</summary>
public sealed record Tag : IKeyValueTag
{
    /// <summary>The key, 1-128 characters.</summary>
    public required string Key { get; init; }

    /// <summary>The value, 0-256 characters.</summary>
    public string? Value { get; init; }
}
