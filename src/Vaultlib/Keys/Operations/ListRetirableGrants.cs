using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ListRetirableGrants</c>: Lists the grants a principal may retire, in pages.</summary>
internal sealed class ListRetirableGrants() : AccountOperation<ListRetirableGrantsRequest, ListGrantsResponse>("ListRetirableGrants", readOnly: true)
{
    public static ListRetirableGrants Instance { get; } = new();

    public override void Validate(ListRetirableGrantsRequest r)
    {
        Internal.Validate.Length(nameof(r.RetiringPrincipal), r.RetiringPrincipal, 1, 256);
        Internal.Validate.Range(nameof(r.Limit), r.Limit, 1, 100);
    }

    protected override ListGrantsResponse Execute(KeyTable keys, ListRetirableGrantsRequest r, AccountResource resource, RequestContext context) =>
        ListGrants.GrantPage(keys.Grants.Where(g => g.RetiringPrincipal == r.RetiringPrincipal), r.Marker, r.Limit);
}
