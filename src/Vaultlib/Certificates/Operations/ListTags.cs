using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Operations;

/// <summary>ACM Private CA <c>ListTags</c>: The CA's tags by key, 1-1,000 a page.</summary>
internal sealed class ListTags() : CaOperation<ListTagsRequest, ListTagsResponse>("ListTags", readOnly: true)
{
    public static ListTags Instance { get; } = new();

    protected override string ArnOf(ListTagsRequest request) => request.CertificateAuthorityArn;

    public override void Validate(ListTagsRequest r)
    {
        base.Validate(r);
        Internal.Validate.Range("MaxResults", r.MaxResults, 1, 1000);
    }

    protected override ListTagsResponse Execute(CaTable table, ListTagsRequest r, CaRecord ca, RequestContext context)
    {
        (IReadOnlyList<Tag> page, string? next) = Page(ca.Tags.OrderBy(t => t.Key, StringComparer.Ordinal), t => t.Key, r.NextToken, r.MaxResults ?? 1000);
        return new ListTagsResponse { Tags = page, NextToken = next };
    }
}
