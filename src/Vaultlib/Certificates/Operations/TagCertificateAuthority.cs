using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>TagCertificateAuthority</c>: Adds tags (or replaces the values of keys already there); past 50 tags, <see cref="TooManyTagsException"/>.</summary>
internal sealed class TagCertificateAuthority() : CaOperation<TagCertificateAuthorityRequest, TagCertificateAuthorityResponse>("TagCertificateAuthority", readOnly: false)
{
    public static TagCertificateAuthority Instance { get; } = new();

    protected override string ArnOf(TagCertificateAuthorityRequest request) => request.CertificateAuthorityArn;

    public override void Validate(TagCertificateAuthorityRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("Tags", r.Tags);
        CaTags.Validate(r.Tags, 1);
    }

    public override RequestFacts Facts(TagCertificateAuthorityRequest request) => CaTags.Facts(request.Tags);

    public override async ValueTask<TagCertificateAuthorityResponse> ExecuteAsync(CaTable table, TagCertificateAuthorityRequest r, CaRecord ca, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(
            ca,
            current =>
            {
                IReadOnlyList<Tag> merged = CaTags.Merge(current.Tags, r.Tags);
                return merged.Count > 50
                    ? throw new TooManyTagsException("A certificate authority can have at most 50 tags.")
                    : current with { Tags = merged };
            },
            cancellationToken).ConfigureAwait(false);
        return new TagCertificateAuthorityResponse();
    }
}
