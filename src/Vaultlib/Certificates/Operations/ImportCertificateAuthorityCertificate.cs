using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>
/// ACM Private CA <c>ImportCertificateAuthorityCertificate</c>: Installs the CA's certificate, and the CA becomes
/// <c>ACTIVE</c> (a CA already active takes a new certificate for the same key, as AWS allows). The certificate must
/// be a CA certificate for the CA's key and subject, valid now; a root's signs itself and comes with no chain; a
/// subordinate's comes with the chain up to its root (of Vaultlib or anyone else), against which it must verify.
/// Unparsable PEM is <see cref="MalformedCertificateException"/>; another key, subject or a chain it does not verify
/// against is <see cref="CertificateMismatchException"/>.
/// </summary>
internal sealed class ImportCertificateAuthorityCertificate() : CaOperation<ImportCertificateAuthorityCertificateRequest, ImportCertificateAuthorityCertificateResponse>("ImportCertificateAuthorityCertificate", readOnly: false)
{
    public static ImportCertificateAuthorityCertificate Instance { get; } = new();

    protected override string ArnOf(ImportCertificateAuthorityCertificateRequest request) => request.CertificateAuthorityArn;

    public override void Validate(ImportCertificateAuthorityCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.ByteLength("Certificate", r.Certificate, 1, 32_768);
        if (r.CertificateChain is { } chain)
        {
            Internal.Validate.ByteLength("CertificateChain", chain, 0, 2_097_152);
        }
    }

    public override async ValueTask<ImportCertificateAuthorityCertificateResponse> ExecuteAsync(CaTable table, ImportCertificateAuthorityCertificateRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        RequireStatus(ca, CertificateAuthorityStatus.PENDING_CERTIFICATE, CertificateAuthorityStatus.ACTIVE, CertificateAuthorityStatus.DISABLED, CertificateAuthorityStatus.EXPIRED);
        using X509Certificate2 certificate = CaPem.ReadOne(r.Certificate.Span, "Certificate");
        List<X509Certificate2> chain = r.CertificateChain is { Length: > 0 } given ? CaPem.ReadAll(given.Span, "CertificateChain") : [];
        try
        {
            Check(table, ca, certificate, chain);
            DateTimeOffset now = table.Now;
            await table.ChangeAsync(
                ca,
                current => current with
                {
                    Status = current.Status == CertificateAuthorityStatus.DISABLED ? CertificateAuthorityStatus.DISABLED : CertificateAuthorityStatus.ACTIVE, // EXPIRED and PENDING_CERTIFICATE become ACTIVE
                    LastStateChangeAt = now,
                    Certificate = certificate.RawData,
                    Chain = [.. chain.Select(c => c.RawData)],
                },
                cancellationToken).ConfigureAwait(false);
            return new ImportCertificateAuthorityCertificateResponse();
        }
        finally
        {
            chain.ForEach(c => c.Dispose());
        }
    }

    private static void Check(CaTable table, CaRecord ca, X509Certificate2 certificate, List<X509Certificate2> chain)
    {
        if (!CaKeys.SamePublicKey(certificate, table.KeyOf(ca)))
        {
            throw new CertificateMismatchException("The certificate's public key is not the certificate authority's.");
        }

        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(CaSubjects.ToName(ca.Configuration.Subject).RawData))
        {
            throw new CertificateMismatchException("The certificate's subject is not the certificate authority's.");
        }

        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new InvalidRequestException("The certificate is not a CA certificate (its basic constraints do not say CA:TRUE).");
        }

        DateTimeOffset now = table.Now;
        if (certificate.NotAfter.ToUniversalTime() <= now.UtcDateTime || certificate.NotBefore.ToUniversalTime() > now.UtcDateTime)
        {
            throw new InvalidRequestException("The certificate is not valid now.");
        }

        bool selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        if (ca.Type == CertificateAuthorityType.ROOT)
        {
            if (!selfSigned || chain.Count > 0)
            {
                throw new InvalidRequestException("A root CA's certificate signs itself and is imported without a chain.");
            }

            chain = [certificate];
        }
        else if (chain.Count == 0)
        {
            throw new InvalidRequestException("A subordinate CA's certificate is imported with the chain up to its root (CertificateChain).");
        }

        if (CaPem.ChainProblems(certificate, chain, now) is { } problems)
        {
            throw new CertificateMismatchException($"The certificate does not verify against the chain given: {problems}.");
        }
    }
}
