using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// Issues ACM's certificates, each with a new key of the certificate's algorithm, valid 395 days (ACM's 13 months):
/// public ones (AMAZON_ISSUED) from the account's local public-like root once their domains are validated, private ones
/// through <see cref="PrivateCertificateAuthority.IssueCertificateAsync"/> of the configured Private CA with the
/// EndEntityCertificate template, as ACM asks its CA. A Private CA that refuses gives a <see cref="FailureReason"/>,
/// as in AWS, not an exception.
/// </summary>
internal static class AcmIssuer
{
    /// <summary>How long ACM's certificates are valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(395);

    private const string EndEntityTemplate = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";

    /// <summary>A certificate issued: its key, its DER, the chain above it (DER, nearest first) and its validity; or why it failed.</summary>
    internal sealed record Issued(AsymmetricAlgorithm? Key, byte[]? Certificate, IReadOnlyList<byte[]>? Chain, DateTimeOffset NotBefore, DateTimeOffset NotAfter, FailureReason? Failure)
    {
        /// <summary>The serial number, lower-case hex without separators.</summary>
        public string? Serial { get; init; }

        public static Issued Failed(FailureReason reason) => new(null, null, null, default, default, reason);
    }

    public static ValueTask<Issued> IssueAsync(AcmTable table, AcmRecord record, CancellationToken cancellationToken) =>
        record.Type == CertificateType.PRIVATE ? IssuePrivateAsync(table, record, cancellationToken) : IssuePublicAsync(table, record, cancellationToken);

    private static async ValueTask<Issued> IssuePublicAsync(AcmTable table, AcmRecord record, CancellationToken cancellationToken)
    {
        LocalRoot root = await table.EnsureRootAsync(cancellationToken).ConfigureAwait(false);
        AsymmetricAlgorithm key = AcmKeys.Create(record.KeyAlgorithm);
        try
        {
            CertificateRequest request = Request(record, key, HashAlgorithmName.SHA384);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(key is RSA ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment : X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
            DateTimeOffset now = table.Now;
            DateTimeOffset notAfter = now + Validity;
            byte[] serial = RandomNumberGenerator.GetBytes(16);
            serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
            using X509Certificate2 issued = request.Create(root.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(root.Key), now, notAfter, serial);
            return new Issued(key, issued.RawData, [root.Certificate.RawData], now, notAfter, null) { Serial = Convert.ToHexStringLower(serial) };
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static async ValueTask<Issued> IssuePrivateAsync(AcmTable table, AcmRecord record, CancellationToken cancellationToken)
    {
        if (table.Settings.PrivateCertificateAuthority is not { } pca || record.CertificateAuthorityArn is not { } caArn)
        {
            return Issued.Failed(FailureReason.PCA_RESOURCE_NOT_FOUND);
        }

        AsymmetricAlgorithm key = AcmKeys.Create(record.KeyAlgorithm);
        bool handedOver = false;
        try
        {
            CertificateAuthority ca = (await pca.DescribeCertificateAuthorityAsync(new DescribeCertificateAuthorityRequest { CertificateAuthorityArn = caArn }, cancellationToken).ConfigureAwait(false)).CertificateAuthority;
            if (ca.Status != CertificateAuthorityStatus.ACTIVE)
            {
                return Issued.Failed(FailureReason.PCA_INVALID_STATE);
            }

            if (CaKeys.IsRsa(ca.CertificateAuthorityConfiguration.KeyAlgorithm) != AcmKeys.IsRsa(record.KeyAlgorithm))
            {
                return Issued.Failed(FailureReason.PCA_INVALID_ARGS); // the certificate's key family must be the CA's
            }

            SigningAlgorithm signing = ca.CertificateAuthorityConfiguration.SigningAlgorithm;
            string csr = Request(record, key, CaKeys.Hash(signing)).CreateSigningRequestPem();
            string certificateArn = (await pca.IssueCertificateAsync(
                new IssueCertificateRequest
                {
                    CertificateAuthorityArn = caArn,
                    Csr = Encoding.ASCII.GetBytes(csr),
                    SigningAlgorithm = signing,
                    TemplateArn = EndEntityTemplate,
                    Validity = new Validity { Type = ValidityPeriodType.DAYS, Value = (long)Validity.TotalDays },
                },
                cancellationToken).ConfigureAwait(false)).CertificateArn;
            Certificates.GetCertificateResponse issued = await pca.GetCertificateAsync(new Certificates.GetCertificateRequest { CertificateAuthorityArn = caArn, CertificateArn = certificateArn }, cancellationToken).ConfigureAwait(false);
            using X509Certificate2 certificate = X509Certificate2.CreateFromPem(issued.Certificate);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(issued.CertificateChain ?? string.Empty);
            IReadOnlyList<byte[]> chainDer = [.. chain.Select(c => c.RawData)];
            foreach (X509Certificate2 c in chain)
            {
                c.Dispose();
            }

            handedOver = true;
            return new Issued(key, certificate.RawData, chainDer, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime(), null) { Serial = Convert.ToHexStringLower(certificate.SerialNumberBytes.Span) };
        }
        catch (PrivateCaException ex)
        {
            return Issued.Failed(ex switch
            {
                Certificates.ResourceNotFoundException => FailureReason.PCA_RESOURCE_NOT_FOUND,
                Certificates.InvalidStateException => FailureReason.PCA_INVALID_STATE,
                Certificates.InvalidArnException => FailureReason.PCA_INVALID_ARN,
                Certificates.AccessDeniedException => FailureReason.PCA_ACCESS_DENIED,
                Certificates.LimitExceededException => FailureReason.PCA_LIMIT_EXCEEDED,
                Certificates.InvalidArgsException { MemberName: "Validity" } => FailureReason.PCA_INVALID_DURATION,
                Certificates.InvalidArgsException => FailureReason.PCA_INVALID_ARGS,
                _ => FailureReason.PCA_REQUEST_FAILED,
            });
        }
        finally
        {
            if (!handedOver)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>A request for the certificate's domains: the first (its first 64 characters) as the common name, all as DNS names.</summary>
    private static CertificateRequest Request(AcmRecord record, AsymmetricAlgorithm key, HashAlgorithmName hash)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(record.Domains[0].Length <= 64 ? record.Domains[0] : record.Domains[0][..64]);
        CertificateRequest request = CaKeys.Request(subject.Build(), key, hash);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string domain in record.Domains)
        {
            names.AddDnsName(domain);
        }

        request.CertificateExtensions.Add(names.Build());
        return request;
    }
}
