namespace Vaultlib.Certificates.Acm;

/// <summary>GetCertificate request.</summary>
public sealed record GetCertificateRequest
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}

/// <summary>GetCertificate response.</summary>
public sealed record GetCertificateResponse
{
    /// <summary>The certificate (PEM).</summary>
    public required string Certificate { get; init; }

    /// <summary>The chain above it (PEM, nearest first), when it has one.</summary>
    public string? CertificateChain { get; init; }
}
