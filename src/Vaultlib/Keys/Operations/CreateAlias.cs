using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>CreateAlias</c>: Creates an alias for a customer managed key.</summary>
internal sealed class CreateAlias() : KmsOperation<CreateAliasRequest, KeyRecord, CreateAliasResponse>("CreateAlias", readOnly: false)
{
    public static CreateAlias Instance { get; } = new();

    public override void Validate(CreateAliasRequest r) => KmsValidate.AliasTarget(r.AliasName, r.TargetKeyId);

    public override ValueTask<KeyRecord> ResolveAsync(KeyTable keys, CreateAliasRequest r, RequestContext context, CancellationToken cancellationToken) => keys.ResolveAsync(r.TargetKeyId, cancellationToken, KeyIdForms.KeyIdOrArn);

    public override async ValueTask<CreateAliasResponse> ExecuteAsync(KeyTable keys, CreateAliasRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireAliasTarget(key);
        await keys.CreateAliasAsync(r.AliasName, key.KeyId, cancellationToken).ConfigureAwait(false);
        return new CreateAliasResponse();
    }
}
