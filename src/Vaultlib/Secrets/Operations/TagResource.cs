using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>TagResource</c>: Adds tags, or sets new values for keys the secret has; at most 50.</summary>
internal sealed class TagResource() : SecretOperation<TagResourceRequest, TagResourceResponse>("TagResource", readOnly: false)
{
    public static TagResource Instance { get; } = new();

    protected override string SecretIdOf(TagResourceRequest request) => request.SecretId;

    public override void Validate(TagResourceRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("Tags", r.Tags);
        SecretTags.Validate(r.Tags);
    }

    public override RequestFacts Facts(TagResourceRequest request) => SecretTags.Facts(request.Tags);

    public override async ValueTask<TagResourceResponse> ExecuteAsync(SecretTable table, TagResourceRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        await ChangeAsync(table, resolved, current => new(current with { Tags = SecretTags.Merge(current.Tags, r.Tags) }), cancellationToken).ConfigureAwait(false);
        return new TagResourceResponse();
    }
}
