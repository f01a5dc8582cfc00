using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DisableKeyRotation</c>: Turns off automatic rotation.</summary>
internal sealed class DisableKeyRotation() : KeyOperation<DisableKeyRotationRequest, DisableKeyRotationResponse>("DisableKeyRotation", readOnly: false)
{
    public static DisableKeyRotation Instance { get; } = new();

    protected override DisableKeyRotationResponse Execute(KeyTable keys, DisableKeyRotationRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireRotatable(key, Operation);
        KeyRules.RequireUsable(key);
        keys.Mutate(key.KeyId, k => k with { RotationEnabled = false, RotationPeriodInDays = null, NextRotationDate = null });
        return new DisableKeyRotationResponse();
    }
}
