using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>ImportCertificate</c>: Takes a certificate (one, PEM), its unencrypted private key (PEM; RSA 1024-4096 or
/// ECDSA P-256/384/521) and optionally its chain, and refuses with <see cref="ValidationException"/> a key that is not
/// the certificate's, a certificate not valid now, or one that does not verify up the chain given. With a
/// <c>CertificateArn</c> it replaces an imported certificate, keeping its ARN (tags are not allowed then). Imported
/// certificates are never renewed.
/// </summary>
internal sealed class ImportCertificate() : AcmOperation<ImportCertificateRequest, IArnResource, ImportCertificateResponse>("ImportCertificate", readOnly: false)
{
    public static ImportCertificate Instance { get; } = new();

    public override void Validate(ImportCertificateRequest r)
    {
        Internal.Validate.Length("CertificateArn", r.CertificateArn, 20, 2048, required: false);
        Internal.Validate.ByteLength("Certificate", r.Certificate, 1, 32_768);
        Internal.Validate.ByteLength("PrivateKey", r.PrivateKey, 1, 5_120);
        if (r.CertificateChain is { } chain)
        {
            Internal.Validate.ByteLength("CertificateChain", chain, 1, 2_097_152);
        }

        CaTags.Validate(r.Tags, 1, m => new ValidationException("Tags", m), m => new InvalidTagException(m));
        if (r.CertificateArn is not null && r.Tags is not null)
        {
            throw new InvalidParameterException("Tags cannot be applied when re-importing a certificate; use AddTagsToCertificate.");
        }
    }

    public override RequestFacts Facts(ImportCertificateRequest r) => CaTags.Facts(r.Tags);

    public override async ValueTask<IArnResource> ResolveAsync(AcmTable table, ImportCertificateRequest r, RequestContext context, CancellationToken cancellationToken)
    {
        if (r.CertificateArn is null)
        {
            return table.Account;
        }

        AcmRecord record = await table.ResolveAsync(r.CertificateArn, cancellationToken).ConfigureAwait(false);
        return record.Type == CertificateType.IMPORTED
            ? record
            : throw new ValidationException("CertificateArn", $"Certificate {record.Arn} was not imported; only an imported certificate can be re-imported.");
    }

    public override async ValueTask<ImportCertificateResponse> ExecuteAsync(AcmTable table, ImportCertificateRequest r, IArnResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        using X509Certificate2 certificate = Read(r.Certificate.Span, "Certificate", single: true)[0];
        List<X509Certificate2> chain = r.CertificateChain is { } given ? Read(given.Span, "CertificateChain", single: false) : [];
        AsymmetricAlgorithm? key = null;
        try
        {
            KeyAlgorithm algorithm = AcmKeys.Of(certificate) ?? throw new ValidationException("Certificate", "The certificate's key is not one ACM imports (RSA 1024, 2048, 3072, 4096; ECDSA P-256, P-384, P-521).");
            key = ReadKey(r.PrivateKey.Span, AcmKeys.IsRsa(algorithm));
            if (!CaKeys.SamePublicKey(certificate, key))
            {
                throw new ValidationException("PrivateKey", "The private key does not match the public key in the certificate.");
            }

            DateTimeOffset notBefore = certificate.NotBefore.ToUniversalTime();
            DateTimeOffset notAfter = certificate.NotAfter.ToUniversalTime();
            if (now < notBefore || now >= notAfter)
            {
                throw new ValidationException("Certificate", $"The certificate is not valid now (it is valid from {notBefore:u} to {notAfter:u}).");
            }

            if (chain.Count > 0 && CaPem.ChainProblems(certificate, chain, now) is { } problems)
            {
                throw new ValidationException("CertificateChain", $"The certificate does not verify against the chain given: {problems}.");
            }

            IReadOnlyList<string> domains = Domains(certificate);
            string id = resource is AcmRecord existing ? existing.Id : Guid.NewGuid().ToString();
            AsymmetricAlgorithm handed = key;
            AcmRecord? written = await table.ChangeAsync(
                id,
                current =>
                {
                    AcmRecord next = (current ?? new AcmRecord
                    {
                        Id = id,
                        Arn = table.ArnPrefix + id,
                        Type = CertificateType.IMPORTED,
                        Status = CertificateStatus.ISSUED,
                        Domains = domains,
                        KeyAlgorithm = algorithm,
                        Tags = r.Tags ?? [],
                    }) with
                    {
                        Status = CertificateStatus.ISSUED,
                        Domains = domains,
                        KeyAlgorithm = algorithm,
                        Certificate = certificate.RawData,
                        Serial = Convert.ToHexStringLower(certificate.SerialNumberBytes.Span),
                        Chain = [.. chain.Select(c => c.RawData)],
                        NotBefore = notBefore,
                        NotAfter = notAfter,
                        ImportedAt = now,
                        ExpiryNoticeDays = null,
                    };
                    return (next, handed, []);
                },
                cancellationToken).ConfigureAwait(false);
            key = null; // the view owns it now
            return new ImportCertificateResponse { CertificateArn = written!.Arn };
        }
        finally
        {
            key?.Dispose();
            chain.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The certificates in a PEM member, as Private CA reads them; what does not parse is <see cref="ValidationException"/>.</summary>
    private static List<X509Certificate2> Read(ReadOnlySpan<byte> data, string member, bool single)
    {
        List<X509Certificate2> found;
        try
        {
            found = CaPem.ReadAll(data, member);
        }
        catch (MalformedCertificateException)
        {
            throw new ValidationException(member, $"The {member} is not PEM-encoded X.509.");
        }

        if (single && found.Count != 1)
        {
            found.ForEach(c => c.Dispose());
            throw new ValidationException(member, "The certificate field contains more than one certificate. You can specify only one certificate in this field.");
        }

        return found;
    }

    /// <summary>An unencrypted PEM private key (PKCS#8, or PKCS#1 / SEC 1) of the certificate's family.</summary>
    private static AsymmetricAlgorithm ReadKey(ReadOnlySpan<byte> pem, bool rsa)
    {
        string text = Encoding.ASCII.GetString(pem);
        try
        {
            if (text.Contains("ENCRYPTED", StringComparison.Ordinal))
            {
                throw new ValidationException("PrivateKey", "The private key is encrypted; ImportCertificate takes an unencrypted key.");
            }

            AsymmetricAlgorithm key = rsa ? RSA.Create() : ECDsa.Create();
            try
            {
                key.ImportFromPem(text);
                return key;
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new ValidationException("PrivateKey", "The private key is not a PEM private key of the certificate's key type.");
        }
    }

    /// <summary>The certificate's domains: its subject alternative DNS names, else its common name.</summary>
    private static List<string> Domains(X509Certificate2 certificate)
    {
        string? commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        List<string> names = [.. certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames())];
        if (commonName is { Length: > 0 } && !names.Contains(commonName, StringComparer.OrdinalIgnoreCase))
        {
            names.Insert(0, commonName);
        }
        else if (commonName is { Length: > 0 })
        {
            names.Remove(names.First(n => string.Equals(n, commonName, StringComparison.OrdinalIgnoreCase)));
            names.Insert(0, commonName);
        }

        return names.Count > 0 ? names : [certificate.Subject];
    }
}
