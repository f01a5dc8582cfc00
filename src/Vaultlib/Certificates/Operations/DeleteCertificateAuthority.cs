using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>
/// ACM Private CA <c>DeleteCertificateAuthority</c>: Marks the CA DELETED, restorable for
/// <c>PermanentDeletionTimeInDays</c> (7-30, default 30), then purged with its certificates by the scheduler. An ACTIVE
/// CA must be disabled first (<see cref="InvalidStateException"/>), as in AWS.
/// </summary>
internal sealed class DeleteCertificateAuthority() : CaOperation<DeleteCertificateAuthorityRequest, DeleteCertificateAuthorityResponse>("DeleteCertificateAuthority", readOnly: false)
{
    public static DeleteCertificateAuthority Instance { get; } = new();

    protected override string ArnOf(DeleteCertificateAuthorityRequest request) => request.CertificateAuthorityArn;

    public override void Validate(DeleteCertificateAuthorityRequest r)
    {
        base.Validate(r);
        Internal.Validate.Range("PermanentDeletionTimeInDays", r.PermanentDeletionTimeInDays, 7, 30);
    }

    public override async ValueTask<DeleteCertificateAuthorityResponse> ExecuteAsync(CaTable table, DeleteCertificateAuthorityRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        RequireStatus(ca, CertificateAuthorityStatus.PENDING_CERTIFICATE, CertificateAuthorityStatus.CREATING, CertificateAuthorityStatus.DISABLED, CertificateAuthorityStatus.EXPIRED, CertificateAuthorityStatus.FAILED);
        DateTimeOffset now = table.Now;
        await table.ChangeAsync(
            ca,
            current => current with
            {
                Status = CertificateAuthorityStatus.DELETED,
                StatusBeforeDeletion = current.Status,
                LastStateChangeAt = now,
                RestorableUntil = now.AddDays(r.PermanentDeletionTimeInDays ?? 30),
            },
            cancellationToken).ConfigureAwait(false);
        return new DeleteCertificateAuthorityResponse();
    }
}
