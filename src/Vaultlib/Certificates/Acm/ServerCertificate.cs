using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// A certificate as a TLS server presents it (see <see cref="CertificateManager.FindServerCertificate"/>): with its
/// private key, and the chain above it to send with it. Owned by the <see cref="CertificateManager"/> that made it, which releases it when disposed.
/// </summary>
public sealed class ServerCertificate
{
    internal ServerCertificate(string certificateArn, X509Certificate2 certificate, X509Certificate2Collection chain, byte[] der)
    {
        CertificateArn = certificateArn;
        Certificate = certificate;
        Chain = chain;
        Der = der;
    }

    /// <summary>The ACM certificate's ARN.</summary>
    public string CertificateArn { get; }

    /// <summary>The certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates above it, nearest first.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>The certificate version this was made from (the record's DER, compared by reference).</summary>
    internal byte[] Der { get; }

    /// <summary>Releases the certificate and its key (the owning manager does this, when it is disposed).</summary>
    internal void Release()
    {
        Certificate.Dispose();
        foreach (X509Certificate2 c in Chain)
        {
            c.Dispose();
        }
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"ServerCertificate({CertificateArn}, {Certificate.Subject})";
}
