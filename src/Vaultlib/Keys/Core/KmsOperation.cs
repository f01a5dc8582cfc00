using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>A KMS operation: the shared operation base with the service named <c>kms</c>.</summary>
internal abstract class KmsOperation<TRequest, TResource, TResponse>(string name, bool readOnly)
    : ServiceOperation<KeyTable, TRequest, TResource, TResponse>("kms", name, readOnly)
    where TRequest : class
    where TResource : IArnResource
{
    /// <summary>The page of a KMS listing; a marker this service did not issue is <see cref="InvalidMarkerException"/>.</summary>
    protected static (IReadOnlyList<T> Page, string? NextMarker) Page<T>(IEnumerable<T> items, Func<T, string> keyOf, string? marker, int limit) =>
        PageMarker.Page(items, keyOf, marker, limit, static () => new InvalidMarkerException());
}

/// <summary>
/// A KMS operation on one key named by the request's <c>KeyId</c>: by default it validates the
/// identifier's length and resolves the key (any identifier form, due changes applied).
/// </summary>
internal abstract class KeyOperation<TRequest, TResponse>(string name, bool readOnly, KeyIdForms accepted)
    : KmsOperation<TRequest, KeyRecord, TResponse>(name, readOnly)
    where TRequest : class, IKeyIdRequest
{
    /// <summary>The KeyId forms this operation accepts (docs/kms-keyid-forms.md).</summary>
    public KeyIdForms AcceptedForms { get; } = accepted;

    public override void Validate(TRequest request) => KmsValidate.KeyId(request.KeyId);

    public override ValueTask<KeyRecord> ResolveAsync(KeyTable keys, TRequest request, RequestContext context, CancellationToken cancellationToken) =>
        keys.ResolveAsync(request.KeyId, cancellationToken, AcceptedForms);
}

/// <summary>A KMS operation on the account (CreateKey, ListKeys, GenerateRandom…): its resource is the account root.</summary>
internal abstract class AccountOperation<TRequest, TResponse>(string name, bool readOnly)
    : KmsOperation<TRequest, AccountResource, TResponse>(name, readOnly)
    where TRequest : class
{
    public override ValueTask<AccountResource> ResolveAsync(KeyTable keys, TRequest request, RequestContext context, CancellationToken cancellationToken) => new(keys.Account);
}
