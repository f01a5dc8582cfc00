namespace Vaultlib.Certificates;

/// <summary>ImportCertificateAuthorityCertificate request.</summary>
public sealed record ImportCertificateAuthorityCertificateRequest
{
    /// <summary>The CA's ARN.</summary>
    public required string CertificateAuthorityArn { get; init; }

    /// <summary>The CA's certificate, PEM (1-32,768 bytes).</summary>
    public required ReadOnlyMemory<byte> Certificate { get; init; }

    /// <summary>The chain above it, PEM, up to the root (needed for a subordinate CA; none for a root).</summary>
    public ReadOnlyMemory<byte>? CertificateChain { get; init; }
}

/// <summary>ImportCertificateAuthorityCertificate response (empty, as AWS's).</summary>
public sealed record ImportCertificateAuthorityCertificateResponse;
