using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>ExportCertificate</c>: A private certificate (or a public one requested with <c>Export</c> ENABLED) with its
/// chain and its private key as encrypted PKCS#8 PEM under the passphrase (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC),
/// which openssl reads with the same passphrase. The certificate becomes eligible for managed renewal, as in AWS. The
/// passphrase and the key are in no audit record, log or exception.
/// </summary>
internal sealed class ExportCertificate() : CertificateOperation<ExportCertificateRequest, ExportCertificateResponse>("ExportCertificate", readOnly: false)
{
    public static ExportCertificate Instance { get; } = new();

    /// <summary>PBKDF2 iterations of the exported key's encryption.</summary>
    private const int Iterations = 100_000;

    protected override string ArnOf(ExportCertificateRequest request) => request.CertificateArn;

    public override void Validate(ExportCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.ByteLength("Passphrase", r.Passphrase, 4, 128);
    }

    public override async ValueTask<ExportCertificateResponse> ExecuteAsync(AcmTable table, ExportCertificateRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        if (AcmDescriptions.ExportOption(record) != CertificateExport.ENABLED)
        {
            throw new ValidationException("CertificateArn", $"Certificate {record.Arn} cannot be exported: only private certificates and public ones requested with Export ENABLED can.");
        }

        RequireIssued(record);
        AsymmetricAlgorithm key = table.KeyOf(record.Id) ?? throw new RequestInProgressException($"Certificate {record.Arn} has no key yet.");
        string privateKey = key.ExportEncryptedPkcs8PrivateKeyPem(r.Passphrase.Span, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Iterations));
        if (!record.Exported)
        {
            await table.ChangeAsync(record.Id, current => current is null || current.Exported || current.Certificate != record.Certificate ? (current, null, []) : (current with { Exported = true }, null, []), cancellationToken).ConfigureAwait(false);
        }

        return new ExportCertificateResponse
        {
            Certificate = CaDescriptions.Pem(record.Certificate!),
            CertificateChain = record.Chain is { Count: > 0 } chain ? CaDescriptions.Pem(chain) : null,
            PrivateKey = privateKey,
        };
    }
}
