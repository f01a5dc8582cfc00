using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates;

/// <summary>A Private CA operation: the shared operation base with the service named <c>acm-pca</c>.</summary>
internal abstract class PcaOperation<TRequest, TResource, TResponse>(string name, bool readOnly)
    : ServiceOperation<CaTable, TRequest, TResource, TResponse>("acm-pca", name, readOnly)
    where TRequest : class
    where TResource : IArnResource
{
    /// <summary>One page of <paramref name="items"/> after <paramref name="nextToken"/>; a token this service did not issue is <see cref="InvalidNextTokenException"/>.</summary>
    protected static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IEnumerable<T> items, Func<T, string> keyOf, string? nextToken, int limit) =>
        PageMarker.Page(items, keyOf, nextToken, limit, static () => new InvalidNextTokenException("The token is not valid."));
}

/// <summary>An operation on one existing CA named by the request's <c>CertificateAuthorityArn</c>.</summary>
internal abstract class CaOperation<TRequest, TResponse>(string name, bool readOnly)
    : PcaOperation<TRequest, CaRecord, TResponse>(name, readOnly)
    where TRequest : class
{
    /// <summary>The <c>CertificateAuthorityArn</c> the request gives.</summary>
    protected abstract string ArnOf(TRequest request);

    public override void Validate(TRequest request) => Internal.Validate.Length("CertificateAuthorityArn", ArnOf(request), 5, 200);

    public override ValueTask<CaRecord> ResolveAsync(CaTable table, TRequest request, RequestContext context, CancellationToken cancellationToken) =>
        table.ResolveAsync(ArnOf(request), cancellationToken);

    /// <summary>Refuses unless the CA is in one of <paramref name="allowed"/>.</summary>
    protected static void RequireStatus(CaRecord ca, params CertificateAuthorityStatus[] allowed)
    {
        if (!allowed.Contains(ca.Status))
        {
            throw new InvalidStateException($"The certificate authority {ca.Arn} is {ca.Status}; this operation needs it {string.Join(" or ", allowed)}.");
        }
    }
}
