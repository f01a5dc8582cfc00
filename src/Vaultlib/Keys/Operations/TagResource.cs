using System.Collections.Immutable;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>TagResource</c>: Adds or overwrites tags (at most 50 per key).</summary>
internal sealed class TagResource() : KeyOperation<TagResourceRequest, TagResourceResponse>("TagResource", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static TagResource Instance { get; } = new();

    public override RequestFacts Facts(TagResourceRequest r) => new()
    {
        RequestTags = r.Tags.Where(tag => tag is { TagKey: not null, TagValue: not null }).DistinctBy(tag => tag.TagKey).ToDictionary(tag => tag.TagKey, tag => tag.TagValue, StringComparer.Ordinal),
    };

    public override void Validate(TagResourceRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        KmsValidate.Tags(r.Tags);
    }

    public override async ValueTask<TagResourceResponse> ExecuteAsync(KeyTable keys, TagResourceRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireNotPendingDeletion(key);
        await keys.MutateAsync(key.KeyId, k =>
        {
            ImmutableSortedDictionary<string, string> tags = k.Tags.SetItems(r.Tags.Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)));
            if (tags.Count > KmsValidate.MaxTagsPerKey)
            {
                throw KmsErrors.TooManyTags(KmsValidate.MaxTagsPerKey, k.Arn, tags.Count);
            }

            return k with { Tags = tags };
        }, cancellationToken).ConfigureAwait(false);
        return new TagResourceResponse();
    }
}
