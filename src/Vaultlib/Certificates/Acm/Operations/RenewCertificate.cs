using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>RenewCertificate</c>: Renews an eligible private certificate now (a new key and certificate under the same
/// ARN, RenewalSummary SUCCESS), as AWS allows only for private certificates that were exported or are in use.
/// </summary>
internal sealed class RenewCertificate() : CertificateOperation<RenewCertificateRequest, RenewCertificateResponse>("RenewCertificate", readOnly: false)
{
    public static RenewCertificate Instance { get; } = new();

    protected override string ArnOf(RenewCertificateRequest request) => request.CertificateArn;

    public override async ValueTask<RenewCertificateResponse> ExecuteAsync(AcmTable table, RenewCertificateRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        RequireIssued(record);
        if (record.Type != CertificateType.PRIVATE || !AcmLifecycle.Eligible(record))
        {
            throw new ValidationException("CertificateArn", $"Certificate {record.Arn} is not eligible for renewal: only private certificates that are exported or in use can be renewed with RenewCertificate.");
        }

        await table.Lifecycle.CompleteAsync(record, renewal: true, cancellationToken).ConfigureAwait(false);
        return new RenewCertificateResponse();
    }
}
