namespace Vaultlib.Certificates;

/// <summary>CreateCertificateAuthority request.</summary>
public sealed record CreateCertificateAuthorityRequest
{
    /// <summary>The CA's key, signing algorithm and subject.</summary>
    public required CertificateAuthorityConfiguration CertificateAuthorityConfiguration { get; init; }

    /// <summary>Root or subordinate.</summary>
    public required CertificateAuthorityType CertificateAuthorityType { get; init; }

    /// <summary>CRL and OCSP settings.</summary>
    public RevocationConfiguration? RevocationConfiguration { get; init; }

    /// <summary>Makes the request idempotent: the same token within five minutes returns the same CA (1-36 characters).</summary>
    public string? IdempotencyToken { get; init; }

    /// <summary>The key storage standard (AWS's names; recorded as given).</summary>
    public string? KeyStorageSecurityStandard { get; init; }

    /// <summary>Tags, 1-50.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>General purpose (the default) or short-lived certificates.</summary>
    public CertificateAuthorityUsageMode? UsageMode { get; init; }
}

/// <summary>CreateCertificateAuthority response.</summary>
public sealed record CreateCertificateAuthorityResponse
{
    /// <summary>The new CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }
}
