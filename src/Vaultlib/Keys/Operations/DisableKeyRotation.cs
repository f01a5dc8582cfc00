using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DisableKeyRotation</c>: Turns off automatic rotation.</summary>
internal sealed class DisableKeyRotation() : KeyOperation<DisableKeyRotationRequest, DisableKeyRotationResponse>("DisableKeyRotation", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static DisableKeyRotation Instance { get; } = new();

    public override async ValueTask<DisableKeyRotationResponse> ExecuteAsync(KeyTable keys, DisableKeyRotationRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireRotatable(key, Operation);
        KeyRules.RequireUsable(key);
        await keys.MutateAsync(key.KeyId, k => k with { RotationEnabled = false, RotationPeriodInDays = null, NextRotationDate = null }, cancellationToken).ConfigureAwait(false);
        return new DisableKeyRotationResponse();
    }
}
