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

    public override AccountResource Resolve(KeyTable keys, DeleteAliasRequest r, RequestContext context) => keys.ResolveAlias(r.AliasName);

    protected override DeleteAliasResponse Execute(KeyTable keys, DeleteAliasRequest r, AccountResource resource, RequestContext context)
    {
        keys.DeleteAlias(r.AliasName);
        return new DeleteAliasResponse();
    }
}
