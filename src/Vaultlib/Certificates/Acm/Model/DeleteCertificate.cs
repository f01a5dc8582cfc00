namespace Vaultlib.Certificates.Acm;

/// <summary>DeleteCertificate request.</summary>
public sealed record DeleteCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>DeleteCertificate response (empty, as AWS's).</summary>
public sealed record DeleteCertificateResponse;
