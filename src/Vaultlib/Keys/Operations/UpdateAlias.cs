using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>UpdateAlias</c>: Points an alias at another key of the same spec and usage.</summary>
internal sealed class UpdateAlias() : KmsOperation<UpdateAliasRequest, KeyRecord, UpdateAliasResponse>("UpdateAlias", readOnly: false)
{
    public static UpdateAlias Instance { get; } = new();

    public override void Validate(UpdateAliasRequest r) => KmsValidate.AliasTarget(r.AliasName, r.TargetKeyId);

    public override KeyRecord Resolve(KeyTable keys, UpdateAliasRequest r, RequestContext context) => keys.Resolve(r.TargetKeyId);

    protected override UpdateAliasResponse Execute(KeyTable keys, UpdateAliasRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireAliasTarget(key);
        keys.UpdateAlias(r.AliasName, key);
        return new UpdateAliasResponse();
    }
}
