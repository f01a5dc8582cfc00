namespace Vaultlib.Certificates;

/// <summary>UpdateCertificateAuthority request.</summary>
public sealed record UpdateCertificateAuthorityRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>New CRL and OCSP settings.</summary>
    public RevocationConfiguration? RevocationConfiguration { get; init; }

    /// <summary><c>ACTIVE</c> or <c>DISABLED</c>.</summary>
    public CertificateAuthorityStatus? Status { get; init; }
}

/// <summary>UpdateCertificateAuthority response (empty, as AWS's).</summary>
public sealed record UpdateCertificateAuthorityResponse;
