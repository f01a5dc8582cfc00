using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>UntagResource</c>: Removes the tags with the keys given; keys the secret does not have are ignored.</summary>
internal sealed class UntagResource() : SecretOperation<UntagResourceRequest, UntagResourceResponse>("UntagResource", readOnly: false)
{
    public static UntagResource Instance { get; } = new();

    protected override string SecretIdOf(UntagResourceRequest request) => request.SecretId;

    public override void Validate(UntagResourceRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("TagKeys", r.TagKeys);
        foreach (string key in r.TagKeys)
        {
            Internal.Validate.Length("TagKeys.member", key, 1, 128);
        }
    }

    public override RequestFacts Facts(UntagResourceRequest request) => new() { TagKeys = request.TagKeys };

    public override async ValueTask<UntagResourceResponse> ExecuteAsync(SecretTable table, UntagResourceRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        await ChangeAsync(table, resolved, current => new(current with { Tags = [.. current.Tags.Where(t => !r.TagKeys.Contains(t.Key, StringComparer.Ordinal))] }), cancellationToken).ConfigureAwait(false);
        return new UntagResourceResponse();
    }
}
