using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListKeys</c>: Lists the keys of the account and region, in pages.</summary>
internal sealed class ListKeys() : AccountOperation<ListKeysRequest, ListKeysResponse>("ListKeys", readOnly: true)
{
    public static ListKeys Instance { get; } = new();

    public override void Validate(ListKeysRequest r) => Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 1000);

    public override async ValueTask<ListKeysResponse> ExecuteAsync(KeyTable keys, ListKeysRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        (IReadOnlyList<KeyRecord> page, string? next) = Page(await keys.KeysAsync(cancellationToken).ConfigureAwait(false), k => k.KeyId, r.Marker, r.Limit ?? 100);
        return new ListKeysResponse
        {
            Keys = [.. page.Select(k => new KeyListEntry { KeyId = k.KeyId, KeyArn = k.Arn })],
            NextMarker = next,
            Truncated = next is not null,
        };
    }
}
