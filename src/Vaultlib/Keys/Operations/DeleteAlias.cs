using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DeleteAlias</c>: Deletes an alias; the key is unaffected.</summary>
internal sealed class DeleteAlias() : KmsOperation<DeleteAliasRequest, AccountResource, DeleteAliasResponse>("DeleteAlias", readOnly: false)
{
    public static DeleteAlias Instance { get; } = new();

    public override void Validate(DeleteAliasRequest r)
    {
        Internal.Validate.Length(nameof(r.AliasName), r.AliasName, 1, 256);
        KeyIdentifiers.ValidateCustomerAliasName(r.AliasName);
    }

    public override ValueTask<AccountResource> ResolveAsync(KeyTable keys, DeleteAliasRequest r, RequestContext context, CancellationToken cancellationToken) => new(keys.ResolveAlias(r.AliasName));

    public override async ValueTask<DeleteAliasResponse> ExecuteAsync(KeyTable keys, DeleteAliasRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        await keys.DeleteAliasAsync(r.AliasName, cancellationToken).ConfigureAwait(false);
        return new DeleteAliasResponse();
    }
}
