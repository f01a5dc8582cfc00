using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>RestoreCertificateAuthority</c>: Brings a DELETED CA back, within its restoration period, in the state it had before (an ACTIVE one comes back DISABLED, as it had to be disabled to be deleted).</summary>
internal sealed class RestoreCertificateAuthority() : CaOperation<RestoreCertificateAuthorityRequest, RestoreCertificateAuthorityResponse>("RestoreCertificateAuthority", readOnly: false)
{
    public static RestoreCertificateAuthority Instance { get; } = new();

    protected override string ArnOf(RestoreCertificateAuthorityRequest request) => request.CertificateAuthorityArn;

    public override async ValueTask<RestoreCertificateAuthorityResponse> ExecuteAsync(CaTable table, RestoreCertificateAuthorityRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        RequireStatus(ca, CertificateAuthorityStatus.DELETED);
        DateTimeOffset now = table.Now;
        await table.ChangeAsync(
            ca,
            current => current with
            {
                Status = current.StatusBeforeDeletion ?? CertificateAuthorityStatus.DISABLED,
                StatusBeforeDeletion = null,
                RestorableUntil = null,
                LastStateChangeAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        return new RestoreCertificateAuthorityResponse();
    }
}
