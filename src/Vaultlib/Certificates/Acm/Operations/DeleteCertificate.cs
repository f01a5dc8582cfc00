using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>ACM <c>DeleteCertificate</c>: Deletes the certificate and its private key; <see cref="ResourceInUseException"/> while a resource uses it.</summary>
internal sealed class DeleteCertificate() : CertificateOperation<DeleteCertificateRequest, DeleteCertificateResponse>("DeleteCertificate", readOnly: false)
{
    public static DeleteCertificate Instance { get; } = new();

    protected override string ArnOf(DeleteCertificateRequest request) => request.CertificateArn;

    public override async ValueTask<DeleteCertificateResponse> ExecuteAsync(AcmTable table, DeleteCertificateRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(
            record.Id,
            current => current is { InUseBy.Count: > 0 }
                ? throw new ResourceInUseException($"Certificate {record.Arn} is in use by {string.Join(", ", current.InUseBy)}.")
                : (null, null, []),
            cancellationToken).ConfigureAwait(false);
        return new DeleteCertificateResponse();
    }
}
