using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>CreateAlias</c>: Creates an alias for a customer managed key.</summary>
internal sealed class CreateAlias() : KmsOperation<CreateAliasRequest, KeyRecord, CreateAliasResponse>("CreateAlias", readOnly: false)
{
    public static CreateAlias Instance { get; } = new();

    public override void Validate(CreateAliasRequest r) => KmsValidate.AliasTarget(r.AliasName, r.TargetKeyId);

    public override KeyRecord Resolve(KeyTable keys, CreateAliasRequest r, RequestContext context) => keys.Resolve(r.TargetKeyId);

    protected override CreateAliasResponse Execute(KeyTable keys, CreateAliasRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireAliasTarget(key);
        keys.CreateAlias(r.AliasName, key.KeyId);
        return new CreateAliasResponse();
    }
}
