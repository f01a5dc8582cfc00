using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>
/// ACM Private CA <c>IssueCertificate</c>: Signs a CSR (whose signature must verify) with the CA's key under one of
/// AWS's base templates (<see cref="CaTemplates"/>), for the validity asked (<see cref="CaValidity"/>), with a random
/// 128-bit serial number. The CA must be <c>ACTIVE</c>, except that a root CA waiting for its certificate issues it to
/// itself from its own CSR with the <c>RootCACertificate/V1</c> template, as in AWS. A subordinate CA template's path
/// length must be below the issuer's. The same <c>IdempotencyToken</c> within a minute returns the same certificate.
/// Vaultlib issues at once (AWS issues asynchronously; GetCertificate never answers RequestInProgressException here).
/// </summary>
internal sealed class IssueCertificate() : CaOperation<IssueCertificateRequest, IssueCertificateResponse>("IssueCertificate", readOnly: false)
{
    public static IssueCertificate Instance { get; } = new();

    private static readonly TimeSpan s_idempotencyWindow = TimeSpan.FromMinutes(1);

    protected override string ArnOf(IssueCertificateRequest request) => request.CertificateAuthorityArn;

    public override void Validate(IssueCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.ByteLength("Csr", r.Csr, 1, 32_768);
        Internal.Validate.Defined("SigningAlgorithm", (SigningAlgorithm?)r.SigningAlgorithm);
        Internal.Validate.Required("Validity", r.Validity);
        Internal.Validate.Length("IdempotencyToken", r.IdempotencyToken, 1, 36, required: false);
        CaTemplates.Find(r.TemplateArn);
    }

    public override async ValueTask<IssueCertificateResponse> ExecuteAsync(CaTable table, IssueCertificateRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        CaTemplates.Template template = CaTemplates.Find(r.TemplateArn);
        bool selfIssue = template.Name == "RootCACertificate";
        if (selfIssue)
        {
            if (ca.Type != CertificateAuthorityType.ROOT)
            {
                throw new InvalidArgsException("TemplateArn", "RootCACertificate/V1 issues a root CA's own certificate; this CA is subordinate.");
            }

            RequireStatus(ca, CertificateAuthorityStatus.PENDING_CERTIFICATE, CertificateAuthorityStatus.ACTIVE);
        }
        else
        {
            RequireStatus(ca, CertificateAuthorityStatus.ACTIVE);
        }

        if (!CaKeys.Suits(ca.Configuration.KeyAlgorithm, r.SigningAlgorithm))
        {
            throw new InvalidArgsException("SigningAlgorithm", $"The signing algorithm {r.SigningAlgorithm} does not suit the CA's key ({ca.Configuration.KeyAlgorithm}).");
        }

        DateTimeOffset now = table.Now;
        if (r.IdempotencyToken is { } token
            && table.CertificatesOf(ca.Id).FirstOrDefault(c => c.IdempotencyToken == token && now - c.IssuedAt < s_idempotencyWindow) is { } earlier)
        {
            return new IssueCertificateResponse { CertificateArn = CertificateArn(ca, earlier.Serial) };
        }

        HashAlgorithmName hash = CaKeys.Hash(r.SigningAlgorithm);
        CertificateRequest csr = CaPem.ReadCsr(r.Csr.Span, hash);
        X509Certificate2? issuer = table.CertificateOf(ca);
        if (selfIssue && !csr.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(table.KeyOf(ca).ExportSubjectPublicKeyInfo()))
        {
            throw new InvalidArgsException("Csr", "RootCACertificate/V1 signs the root CA's own CSR (GetCertificateAuthorityCsr).");
        }

        if (template.IsCa && !selfIssue && issuer?.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { HasPathLengthConstraint: true } limits
            && template.PathLength >= limits.PathLengthConstraint)
        {
            throw new InvalidArgsException("TemplateArn", $"The template's path length ({template.PathLength}) must be below the issuing CA's ({limits.PathLengthConstraint}).");
        }

        (DateTimeOffset notBefore, DateTimeOffset notAfter) = CaValidity.Compute(r.Validity, r.ValidityNotBefore, now, issuer?.NotAfter.ToUniversalTime(), ca.UsageMode);
        var request = new CertificateRequest(csr.SubjectName, csr.PublicKey, hash, table.KeyOf(ca) is RSA ? RSASignaturePadding.Pkcs1 : null);
        foreach (X509Extension alternativeNames in csr.CertificateExtensions.Where(e => e.Oid?.Value == "2.5.29.17"))
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        CaTemplates.Apply(template, request, selfIssue ? null : issuer);
        if (!selfIssue && CaRevocationLists.DistributionPoint(ca, table.Options.Region) is { } crlUrl)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([crlUrl]));
        }

        if (!selfIssue && CaOcsp.ResponderUrl(ca, table.Options.Region) is { } ocspUrl)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([ocspUrl], null));
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, and 16 bytes long
        X509SignatureGenerator signer = CaKeys.Signer(table.KeyOf(ca), r.SigningAlgorithm);
        using X509Certificate2 issued = request.Create(selfIssue ? csr.SubjectName : issuer!.SubjectName, signer, notBefore, notAfter, serial);
        string serialHex = Convert.ToHexStringLower(serial);
        await table.PutCertificateAsync(
            ca.Id,
            serialHex,
            _ => new IssuedCertificateRecord { CaId = ca.Id, Serial = serialHex, Certificate = issued.RawData, IssuedAt = now, NotAfter = notAfter, IdempotencyToken = r.IdempotencyToken },
            cancellationToken).ConfigureAwait(false);
        return new IssueCertificateResponse { CertificateArn = CertificateArn(ca, serialHex) };
    }

    public static string CertificateArn(CaRecord ca, string serialHex) => $"{ca.Arn}/certificate/{serialHex}";
}
