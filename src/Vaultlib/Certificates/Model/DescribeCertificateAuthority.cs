namespace Vaultlib.Certificates;

/// <summary>DescribeCertificateAuthority request.</summary>
public sealed record DescribeCertificateAuthorityRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }
}

/// <summary>DescribeCertificateAuthority response.</summary>
public sealed record DescribeCertificateAuthorityResponse
{
    /// <summary>The CA.</summary>
    public required CertificateAuthority CertificateAuthority { get; init; }
}
