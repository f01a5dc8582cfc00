using Vaultlib.Audit;

namespace Vaultlib.Certificates.Acm;

/// <summary>ExportCertificate request.</summary>
public sealed record ExportCertificateRequest
{
    /// <summary>The certificate's ARN (a private certificate, or a public one requested with <c>Export</c> ENABLED).</summary>
    public required string CertificateArn { get; init; }

    /// <summary>The passphrase, 4-128 bytes, that encrypts the exported private key.</summary>
    [Sensitive]
    public required ReadOnlyMemory<byte> Passphrase { get; init; }
}

/// <summary>ExportCertificate response. <see cref="object.ToString"/> never shows the private key.</summary>
public sealed record ExportCertificateResponse
{
    /// <summary>The certificate (PEM).</summary>
    public required string Certificate { get; init; }

    /// <summary>The chain above it (PEM, nearest first).</summary>
    public string? CertificateChain { get; init; }

    /// <summary>The private key as encrypted PKCS#8 PEM (<c>ENCRYPTED PRIVATE KEY</c>; PBES2, AES-256-CBC, PBKDF2-HMAC-SHA256) under the passphrase.</summary>
    [Sensitive]
    public required string PrivateKey { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Certificate = ").Append(Certificate.Length).Append(" characters, PrivateKey = (hidden)");
        return true;
    }
}
