using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>UpdateCertificateAuthority</c>: Turns an ACTIVE CA DISABLED or back, and replaces its revocation settings; other states are <see cref="InvalidStateException"/>, other target statuses <see cref="InvalidArgsException"/>.</summary>
internal sealed class UpdateCertificateAuthority() : CaOperation<UpdateCertificateAuthorityRequest, UpdateCertificateAuthorityResponse>("UpdateCertificateAuthority", readOnly: false)
{
    public static UpdateCertificateAuthority Instance { get; } = new();

    protected override string ArnOf(UpdateCertificateAuthorityRequest request) => request.CertificateAuthorityArn;

    public override void Validate(UpdateCertificateAuthorityRequest r)
    {
        base.Validate(r);
        if (r.Status is not (null or CertificateAuthorityStatus.ACTIVE or CertificateAuthorityStatus.DISABLED))
        {
            throw new InvalidArgsException("Status", "Status can be set to ACTIVE or DISABLED only.");
        }

        CaRevocation.Validate(r.RevocationConfiguration);
    }

    public override async ValueTask<UpdateCertificateAuthorityResponse> ExecuteAsync(CaTable table, UpdateCertificateAuthorityRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        if (r.Status is not null)
        {
            RequireStatus(ca, CertificateAuthorityStatus.ACTIVE, CertificateAuthorityStatus.DISABLED);
        }
        else
        {
            RequireStatus(ca, CertificateAuthorityStatus.PENDING_CERTIFICATE, CertificateAuthorityStatus.ACTIVE, CertificateAuthorityStatus.DISABLED);
        }

        DateTimeOffset now = table.Now;
        await table.ChangeAsync(
            ca,
            current => current with
            {
                Status = r.Status ?? current.Status,
                LastStateChangeAt = r.Status is { } status && status != current.Status ? now : current.LastStateChangeAt,
                Revocation = r.RevocationConfiguration ?? current.Revocation,
            },
            cancellationToken).ConfigureAwait(false);
        return new UpdateCertificateAuthorityResponse();
    }
}
