using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListResourceTags</c>: Lists a key's tags, in pages.</summary>
internal sealed class ListResourceTags() : KeyOperation<ListResourceTagsRequest, ListResourceTagsResponse>("ListResourceTags", readOnly: true, KeyIdForms.KeyIdOrArn)
{
    public static ListResourceTags Instance { get; } = new();

    public override void Validate(ListResourceTagsRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 50);
    }

    protected override ListResourceTagsResponse Execute(KeyTable keys, ListResourceTagsRequest r, KeyRecord key, RequestContext context)
    {
        (IReadOnlyList<KeyValuePair<string, string>> page, string? next) = Page(key.Tags, t => t.Key, r.Marker, r.Limit ?? 50);
        return new ListResourceTagsResponse
        {
            Tags = [.. page.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value })],
            NextMarker = next,
            Truncated = next is not null,
        };
    }
}
