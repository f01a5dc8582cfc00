using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>RevokeCertificate</c>: Revokes an exported public certificate (one requested with <c>Export</c> ENABLED and
/// exported), as AWS allows: REVOKED, with the time and reason; <see cref="ConflictException"/> when it already is.
/// Private certificates are revoked through their Private CA (its RevokeCertificate), which puts them in its CRL.
/// </summary>
internal sealed class RevokeCertificate() : CertificateOperation<RevokeCertificateRequest, RevokeCertificateResponse>("RevokeCertificate", readOnly: false)
{
    public static RevokeCertificate Instance { get; } = new();

    protected override string ArnOf(RevokeCertificateRequest request) => request.CertificateArn;

    public override void Validate(RevokeCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.Defined("RevocationReason", (RevocationReason?)r.RevocationReason);
    }

    public override async ValueTask<RevokeCertificateResponse> ExecuteAsync(AcmTable table, RevokeCertificateRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        if (record.Status == CertificateStatus.REVOKED)
        {
            throw new ConflictException($"Certificate {record.Arn} is already revoked.");
        }

        if (record.Type != CertificateType.AMAZON_ISSUED || !record.Exported)
        {
            throw new ValidationException("CertificateArn", $"Certificate {record.Arn} cannot be revoked here: ACM revokes exported public certificates; revoke a private certificate through its Private CA.");
        }

        DateTimeOffset now = table.Now;
        await table.ChangeAsync(
            record.Id,
            current => current is null || current.Status == CertificateStatus.REVOKED
                ? throw new ConflictException($"Certificate {record.Arn} is already revoked.")
                : (current with { Status = CertificateStatus.REVOKED, RevokedAt = now, RevocationReason = r.RevocationReason }, null, []),
            cancellationToken).ConfigureAwait(false);
        return new RevokeCertificateResponse { CertificateArn = record.Arn };
    }
}
