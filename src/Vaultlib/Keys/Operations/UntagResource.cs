using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>UntagResource</c>: Removes tags.</summary>
internal sealed class UntagResource() : KeyOperation<UntagResourceRequest, UntagResourceResponse>("UntagResource", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static UntagResource Instance { get; } = new();

    public override RequestFacts Facts(UntagResourceRequest r) => new() { TagKeys = r.TagKeys };

    public override void Validate(UntagResourceRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Required(nameof(r.TagKeys), r.TagKeys);
        foreach (string tagKey in r.TagKeys)
        {
            Internal.Validate.Length(nameof(r.TagKeys), tagKey, 1, 128);
        }
    }

    public override async ValueTask<UntagResourceResponse> ExecuteAsync(KeyTable keys, UntagResourceRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireNotPendingDeletion(key);
        await keys.MutateAsync(key.KeyId, k => k with { Tags = k.Tags.RemoveRange(r.TagKeys) }, cancellationToken).ConfigureAwait(false);
        return new UntagResourceResponse();
    }
}
