namespace Vaultlib.Certificates;

/// <summary>GetCertificate request.</summary>
public sealed record GetCertificateRequest
{
    /// <summary>The issuing CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The certificate's ARN (IssueCertificate's answer).</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>GetCertificate response.</summary>
public sealed record GetCertificateResponse
{
    /// <summary>The certificate, PEM.</summary>
    public required string Certificate { get; init; }

    /// <summary>The chain from the issuing CA up to the root, PEM (none for a root CA's own certificate).</summary>
    public string? CertificateChain { get; init; }
}
