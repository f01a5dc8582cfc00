using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>ListCertificateAuthorities</c>: The account's CAs in creation order, 1-1,000 a page; <c>OTHER_ACCOUNTS</c> lists none (Vaultlib shares no CAs through AWS RAM).</summary>
internal sealed class ListCertificateAuthorities() : PcaOperation<ListCertificateAuthoritiesRequest, AccountResource, ListCertificateAuthoritiesResponse>("ListCertificateAuthorities", readOnly: true)
{
    public static ListCertificateAuthorities Instance { get; } = new();

    public override void Validate(ListCertificateAuthoritiesRequest r)
    {
        Internal.Validate.Range("MaxResults", r.MaxResults, 1, 1000);
        Internal.Validate.Length("NextToken", r.NextToken, 1, 43739, required: false);
        if (r.ResourceOwner is not (null or "SELF" or "OTHER_ACCOUNTS"))
        {
            throw new InvalidArgsException("ResourceOwner", "ResourceOwner must be SELF or OTHER_ACCOUNTS.");
        }
    }

    public override ValueTask<AccountResource> ResolveAsync(CaTable table, ListCertificateAuthoritiesRequest request, RequestContext context, CancellationToken cancellationToken) =>
        new(table.Account);

    protected override ListCertificateAuthoritiesResponse Execute(CaTable table, ListCertificateAuthoritiesRequest r, AccountResource resource, RequestContext context)
    {
        IEnumerable<CaRecord> owned = r.ResourceOwner == "OTHER_ACCOUNTS" ? [] : table.All.OrderBy(ca => ca.CreatedAt).ThenBy(ca => ca.Id, StringComparer.Ordinal);
        (IReadOnlyList<CaRecord> page, string? next) = Page(owned, ca => $"{ca.CreatedAt.UtcTicks:D19}|{ca.Id}", r.NextToken, r.MaxResults ?? 1000);
        return new ListCertificateAuthoritiesResponse { CertificateAuthorities = [.. page.Select(ca => CaDescriptions.Describe(table, ca))], NextToken = next };
    }
}
