using Vaultlib.Audit;

namespace Vaultlib.Certificates.Acm;

/// <summary>ImportCertificate request.</summary>
public sealed record ImportCertificateRequest
{
    /// <summary>To re-import: the ARN of a certificate imported before, which keeps its ARN.</summary>
    public string? CertificateArn { get; init; }

    /// <summary>The certificate (PEM), 1-32,768 bytes.</summary>
    public required ReadOnlyMemory<byte> Certificate { get; init; }

    /// <summary>Its unencrypted private key (PEM), 1-5,120 bytes.</summary>
    [Sensitive]
    public required ReadOnlyMemory<byte> PrivateKey { get; init; }

    /// <summary>The chain above it (PEM), up to 2 MiB.</summary>
    public ReadOnlyMemory<byte>? CertificateChain { get; init; }

    /// <summary>Tags, 1-50 (not on a re-import).</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("CertificateArn = ").Append(CertificateArn).Append(", PrivateKey = (hidden)");
        return true;
    }
}

/// <summary>ImportCertificate response.</summary>
public sealed record ImportCertificateResponse
{
    /// <summary>The certificate's ARN.</summary>
    public required string CertificateArn { get; init; }
}
