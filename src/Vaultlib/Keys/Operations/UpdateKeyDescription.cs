using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>UpdateKeyDescription</c>: Replaces a key's description.</summary>
internal sealed class UpdateKeyDescription() : KeyOperation<UpdateKeyDescriptionRequest, UpdateKeyDescriptionResponse>("UpdateKeyDescription", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static UpdateKeyDescription Instance { get; } = new();

    public override void Validate(UpdateKeyDescriptionRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Length(nameof(r.Description), r.Description, 0, 8192);
    }

    public override async ValueTask<UpdateKeyDescriptionResponse> ExecuteAsync(KeyTable keys, UpdateKeyDescriptionRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireNotPendingDeletion(key);
        await keys.MutateAsync(key.KeyId, k => k with { Description = r.Description }, cancellationToken).ConfigureAwait(false);
        return new UpdateKeyDescriptionResponse();
    }
}
