using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListAliases</c>: Lists aliases, of the account or of one key, in pages.</summary>
internal sealed class ListAliases() : KmsOperation<ListAliasesRequest, IArnResource, ListAliasesResponse>("ListAliases", readOnly: true)
{
    public static ListAliases Instance { get; } = new();

    public override void Validate(ListAliasesRequest r)
    {
        Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 100);
        KmsValidate.OptionalKeyId(r.KeyId);
    }

    public override async ValueTask<IArnResource> ResolveAsync(KeyTable keys, ListAliasesRequest r, RequestContext context, CancellationToken cancellationToken) =>
        r.KeyId is null ? keys.Account : await keys.ResolveAsync(r.KeyId, cancellationToken, KeyIdForms.KeyIdOrArn).ConfigureAwait(false);

    public override async ValueTask<ListAliasesResponse> ExecuteAsync(KeyTable keys, ListAliasesRequest r, IArnResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        _ = await keys.KeysAsync(cancellationToken).ConfigureAwait(false); // applies deletions that fell due, so their aliases go with them
        string? keyId = (resource as KeyRecord)?.KeyId;
        IEnumerable<AliasRecord> aliases = keys.Aliases.Where(a => keyId is null || a.TargetKeyId == keyId);
        (IReadOnlyList<AliasRecord> page, string? next) = Page(aliases, a => a.AliasName, r.Marker, r.Limit ?? 50);
        return new ListAliasesResponse
        {
            Aliases = [.. page.Select(a => new AliasListEntry
            {
                AliasName = a.AliasName,
                AliasArn = keys.Ids.AliasArn(a.AliasName),
                TargetKeyId = a.TargetKeyId,
                CreationDate = a.CreationDate,
                LastUpdatedDate = a.LastUpdatedDate,
            })],
            NextMarker = next,
            Truncated = next is not null,
        };
    }
}
