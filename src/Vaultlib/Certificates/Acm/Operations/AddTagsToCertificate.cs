using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>ACM <c>AddTagsToCertificate</c>: Adds tags (or replaces the values of keys already there); past 50 tags, <see cref="TooManyTagsException"/>.</summary>
internal sealed class AddTagsToCertificate() : CertificateOperation<AddTagsToCertificateRequest, AddTagsToCertificateResponse>("AddTagsToCertificate", readOnly: false)
{
    public static AddTagsToCertificate Instance { get; } = new();

    protected override string ArnOf(AddTagsToCertificateRequest request) => request.CertificateArn;

    public override void Validate(AddTagsToCertificateRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("Tags", r.Tags);
        CaTags.Validate(r.Tags, 1, m => new ValidationException("Tags", m), m => new InvalidTagException(m));
    }

    public override RequestFacts Facts(AddTagsToCertificateRequest request) => CaTags.Facts(request.Tags);

    public override async ValueTask<AddTagsToCertificateResponse> ExecuteAsync(AcmTable table, AddTagsToCertificateRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(
            record.Id,
            current =>
            {
                if (current is null)
                {
                    throw AcmErrors.NotFound(record.Arn);
                }

                IReadOnlyList<Tag> merged = CaTags.Merge(current.Tags, r.Tags);
                return merged.Count > 50
                    ? throw new TooManyTagsException("A certificate can have at most 50 tags.")
                    : (current with { Tags = merged }, null, []);
            },
            cancellationToken).ConfigureAwait(false);
        return new AddTagsToCertificateResponse();
    }
}
