namespace Vaultlib.Certificates.Acm;

/// <summary>RevokeCertificate request.</summary>
public sealed record RevokeCertificateRequest
{
    /// <summary>The certificate's ARN (an exported public certificate).</summary>
    public required string CertificateArn { get; init; }

    /// <summary>Why.</summary>
    public required RevocationReason RevocationReason { get; init; }
}

/// <summary>RevokeCertificate response.</summary>
public sealed record RevokeCertificateResponse
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}
