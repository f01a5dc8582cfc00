using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>A Secrets Manager operation: the shared operation base with the service named <c>secretsmanager</c>.</summary>
internal abstract class SmOperation<TRequest, TResource, TResponse>(string name, bool readOnly)
    : ServiceOperation<SecretTable, TRequest, TResource, TResponse>("secretsmanager", name, readOnly)
    where TRequest : class
    where TResource : IArnResource
{
    /// <summary>One page of <paramref name="items"/> after <paramref name="nextToken"/>; a token this service did not issue is <see cref="InvalidNextTokenException"/>.</summary>
    protected static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IEnumerable<T> items, Func<T, string> keyOf, string? nextToken, int limit) =>
        PageMarker.Page(items, keyOf, nextToken, limit, static () => new InvalidNextTokenException("The NextToken is not valid."));
}

/// <summary>An operation on one existing secret named by the request's <c>SecretId</c>; a replica refuses every change but those that allow it.</summary>
internal abstract class SecretOperation<TRequest, TResponse>(string name, bool readOnly, bool allowsDeleted = false, bool? allowsReplica = null)
    : SmOperation<TRequest, SecretRecord, TResponse>(name, readOnly)
    where TRequest : class
{
    /// <summary>The <c>SecretId</c> the request gives.</summary>
    protected abstract string SecretIdOf(TRequest request);

    public override void Validate(TRequest request) => SecretNames.ValidateId(SecretIdOf(request));

    public override async ValueTask<SecretRecord> ResolveAsync(SecretTable table, TRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        SecretRecord record = await table.FindAsync(SecretIdOf(request), cancellationToken).ConfigureAwait(false) ?? throw SmErrors.NotFound();
        if (!(allowsReplica ?? Operation.ReadOnly) && table.IsReplica(record))
        {
            throw new InvalidParameterException("SecretId", "Operation not permitted on a replica secret. Call must be made in primary secret's region.");
        }

        return record.IsDeleted && !allowsDeleted ? throw SmErrors.Deleted() : record;
    }

    /// <summary>Applies <paramref name="change"/> to the secret under the write gate (null purges it), refusing when it has gone or been deleted meanwhile.</summary>
    protected static ValueTask<SecretRecord?> ChangeAsync(SecretTable table, SecretRecord resolved, Func<SecretRecord, ValueTask<SecretRecord?>> change, CancellationToken cancellationToken, bool allowDeleted = false) =>
        table.ChangeAsync(
            resolved.Name,
            async current => current is null || current.Arn != resolved.Arn ? throw SmErrors.NotFound()
                : current.IsDeleted && !allowDeleted ? throw SmErrors.Deleted()
                : await change(current).ConfigureAwait(false),
            cancellationToken);
}
