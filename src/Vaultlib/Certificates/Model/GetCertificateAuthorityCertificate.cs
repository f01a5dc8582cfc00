namespace Vaultlib.Certificates;

/// <summary>GetCertificateAuthorityCertificate request.</summary>
public sealed record GetCertificateAuthorityCertificateRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }
}

/// <summary>GetCertificateAuthorityCertificate response.</summary>
public sealed record GetCertificateAuthorityCertificateResponse
{
    /// <summary>The CA's certificate, PEM.</summary>
    public required string Certificate { get; init; }

    /// <summary>The chain above it, PEM (none for a root CA).</summary>
    public string? CertificateChain { get; init; }
}
