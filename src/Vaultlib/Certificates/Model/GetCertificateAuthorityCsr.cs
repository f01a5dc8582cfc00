namespace Vaultlib.Certificates;

/// <summary>GetCertificateAuthorityCsr request.</summary>
public sealed record GetCertificateAuthorityCsrRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }
}

/// <summary>GetCertificateAuthorityCsr response.</summary>
public sealed record GetCertificateAuthorityCsrResponse
{
    /// <summary>The CA's certificate signing request, PEM.</summary>
    public required string Csr { get; init; }
}
