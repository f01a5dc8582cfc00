using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>UpdateAlias</c>: Points an alias at another key of the same spec and usage.</summary>
internal sealed class UpdateAlias() : KmsOperation<UpdateAliasRequest, KeyRecord, UpdateAliasResponse>("UpdateAlias", readOnly: false)
{
    public static UpdateAlias Instance { get; } = new();

    public override void Validate(UpdateAliasRequest r) => KmsValidate.AliasTarget(r.AliasName, r.TargetKeyId);

    public override ValueTask<KeyRecord> ResolveAsync(KeyTable keys, UpdateAliasRequest r, RequestContext context, CancellationToken cancellationToken) => keys.ResolveAsync(r.TargetKeyId, cancellationToken, KeyIdForms.KeyIdOrArn);

    public override async ValueTask<UpdateAliasResponse> ExecuteAsync(KeyTable keys, UpdateAliasRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireAliasTarget(key);
        await keys.UpdateAliasAsync(r.AliasName, key, cancellationToken).ConfigureAwait(false);
        return new UpdateAliasResponse();
    }
}
