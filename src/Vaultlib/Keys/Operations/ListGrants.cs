using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListGrants</c>: Lists a key's grants, optionally of one grant id or grantee, in pages.</summary>
internal sealed class ListGrants() : KeyOperation<ListGrantsRequest, ListGrantsResponse>("ListGrants", readOnly: true, KeyIdForms.KeyIdOrArn)
{
    public static ListGrants Instance { get; } = new();

    public override void Validate(ListGrantsRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 100);
    }

    protected override ListGrantsResponse Execute(KeyTable keys, ListGrantsRequest r, KeyRecord key, RequestContext context) =>
        GrantPage(keys.Grants.Where(g => g.KeyId == key.KeyId && (r.GrantId is null || g.GrantId == r.GrantId) && (r.GranteePrincipal is null || g.GranteePrincipal == r.GranteePrincipal)), r.Marker, r.Limit);

    /// <summary>One page of grants, as ListGrants and ListRetirableGrants answer.</summary>
    public static ListGrantsResponse GrantPage(IEnumerable<GrantRecord> grants, string? marker, int? limit)
    {
        (IReadOnlyList<GrantRecord> page, string? next) = Page(grants, g => g.GrantId, marker, limit ?? 50);
        return new ListGrantsResponse { Grants = [.. page.Select(g => g.ToEntry())], NextMarker = next, Truncated = next is not null };
    }
}
