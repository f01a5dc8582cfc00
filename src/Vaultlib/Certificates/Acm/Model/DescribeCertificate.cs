namespace Vaultlib.Certificates.Acm;

/// <summary>DescribeCertificate request.</summary>
public sealed record DescribeCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>DescribeCertificate response.</summary>
public sealed record DescribeCertificateResponse
{
    /// <summary>The certificate.</summary>
    public required CertificateDetail Certificate { get; init; }
}
