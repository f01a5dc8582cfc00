using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Parameters;

/// <summary>A Parameter Store operation: the shared operation base with the service named <c>ssm</c>.</summary>
internal abstract class SsmOperation<TRequest, TResource, TResponse>(string name, bool readOnly)
    : ServiceOperation<ParameterTable, TRequest, TResource, TResponse>("ssm", name, readOnly)
    where TRequest : class
    where TResource : IArnResource
{
    /// <summary>One page of <paramref name="items"/> after <paramref name="nextToken"/>; a token this service did not issue is <see cref="InvalidNextTokenException"/>.</summary>
    protected static (IReadOnlyList<T> Page, string? NextToken) Page<T>(IEnumerable<T> items, Func<T, string> keyOf, string? nextToken, int limit) =>
        PageMarker.Page(items, keyOf, nextToken, limit, static () => new InvalidNextTokenException("The NextToken is not valid."));

    /// <summary>
    /// A page of up to <paramref name="limit"/> items from the <paramref name="candidates"/> (in name order, after the
    /// token's name), each made by <paramref name="select"/> or skipped when it gives null; the token names the last
    /// candidate looked at, so a page may be short (even empty) with a token, as AWS's are.
    /// </summary>
    protected static async ValueTask<(List<T> Page, string? NextToken)> PageAsync<T>(IEnumerable<ParameterRecord> candidates, Func<ParameterRecord, ValueTask<T?>> select, int limit)
        where T : class
    {
        var page = new List<T>(limit);
        string? last = null;
        foreach (ParameterRecord record in candidates)
        {
            if (page.Count == limit)
            {
                return (page, last is null ? null : PageMarker.Create(last));
            }

            last = record.Key;
            ValueTask<T?> selecting = select(record);
            if ((selecting.IsCompletedSuccessfully ? selecting.Result : await selecting.ConfigureAwait(false)) is { } item)
            {
                page.Add(item);
            }
        }

        return (page, null);
    }

    /// <summary>The name after which a page starts, from the request's token; a token this service did not issue is <see cref="InvalidNextTokenException"/>.</summary>
    protected static string? After(string? nextToken) =>
        nextToken is null ? null : PageMarker.TryRead(nextToken) ?? throw new InvalidNextTokenException("The NextToken is not valid.");

    /// <summary>The decrypted or stored value of a version, as the request asked.</summary>
    protected static ValueTask<string> ValueAsync(ParameterTable table, ParameterRecord record, ParameterVersionRecord version, bool withDecryption, RequestContext context, CancellationToken cancellationToken) =>
        version.Type != ParameterType.SecureString ? new(version.PlainValue!)
        : withDecryption ? SsmCrypto.DecryptAsync(table, context, record.Arn, version, cancellationToken)
        : new(Convert.ToBase64String(version.Ciphertext!));
}

/// <summary>An operation on one existing parameter named by the request (a selector after the name, if any, is the operation's to read).</summary>
internal abstract class ParameterOperation<TRequest, TResponse>(string name, bool readOnly)
    : SsmOperation<TRequest, ParameterRecord, TResponse>(name, readOnly)
    where TRequest : class
{
    /// <summary>The name the request gives (with its selector, if the operation takes one).</summary>
    protected abstract string NameOf(TRequest request);

    public override void Validate(TRequest request) => ParameterNames.Validate(ParameterNames.SplitSelector(NameOf(request)).Name);

    public override async ValueTask<ParameterRecord> ResolveAsync(ParameterTable table, TRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        string name = ParameterNames.SplitSelector(NameOf(request)).Name;
        return await table.FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw SsmErrors.NotFound(name);
    }
}

/// <summary>A name that may not exist yet (PutParameter): authorized on its ARN.</summary>
internal sealed record NameResource(string Arn, string Name) : IArnResource;

/// <summary>
/// A tagging operation: the resource is named by type and id. Only <c>Parameter</c> is a resource
/// type here (AWS's other SSM types, documents or managed instances, are not Vaultlib's):
/// <see cref="InvalidResourceTypeException"/>; a parameter that does not exist is <see cref="InvalidResourceIdException"/>.
/// </summary>
internal abstract class TagOperation<TRequest, TResponse>(string name, bool readOnly)
    : SsmOperation<TRequest, ParameterRecord, TResponse>(name, readOnly)
    where TRequest : class
{
    protected abstract (string ResourceType, string ResourceId) Target(TRequest request);

    public override void Validate(TRequest request)
    {
        (string type, string id) = Target(request);
        if (type != "Parameter")
        {
            throw new InvalidResourceTypeException($"The resource type {type} is not valid; Vaultlib tags parameters (ResourceType Parameter).");
        }

        ParameterNames.Validate(id, "ResourceId");
    }

    public override async ValueTask<ParameterRecord> ResolveAsync(ParameterTable table, TRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        string id = Target(request).ResourceId;
        return await table.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidResourceIdException($"The parameter {id} does not exist.");
    }
}
