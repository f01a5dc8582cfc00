using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>ACM <c>RemoveTagsFromCertificate</c>: Removes tags: one given without a value whatever its value, one with a value only if it has that value.</summary>
internal sealed class RemoveTagsFromCertificate() : CertificateOperation<RemoveTagsFromCertificateRequest, RemoveTagsFromCertificateResponse>("RemoveTagsFromCertificate", readOnly: false)
{
    public static RemoveTagsFromCertificate Instance { get; } = new();

    protected override string ArnOf(RemoveTagsFromCertificateRequest request) => request.CertificateArn;

    public override void Validate(RemoveTagsFromCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("Tags", r.Tags);
        CaTags.Validate(r.Tags, 1, m => new ValidationException("Tags", m), m => new InvalidTagException(m));
    }

    public override RequestFacts Facts(RemoveTagsFromCertificateRequest request) => new() { TagKeys = [.. request.Tags.Select(t => t.Key)] };

    public override async ValueTask<RemoveTagsFromCertificateResponse> ExecuteAsync(AcmTable table, RemoveTagsFromCertificateRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(
            record.Id,
            current => current is null ? throw AcmErrors.NotFound(record.Arn) : (current with { Tags = CaTags.Remove(current.Tags, r.Tags) }, null, []),
            cancellationToken).ConfigureAwait(false);
        return new RemoveTagsFromCertificateResponse();
    }
}
