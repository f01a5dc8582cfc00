namespace Vaultlib.Certificates.Acm;

/// <summary>RenewCertificate request.</summary>
public sealed record RenewCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>RenewCertificate response (empty, as AWS's).</summary>
public sealed record RenewCertificateResponse;
