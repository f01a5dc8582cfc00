using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>RotateKeyOnDemand</c>: Rotates now (at most 25 times per key).</summary>
internal sealed class RotateKeyOnDemand() : KeyOperation<RotateKeyOnDemandRequest, RotateKeyOnDemandResponse>("RotateKeyOnDemand", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static RotateKeyOnDemand Instance { get; } = new();

    public override async ValueTask<RotateKeyOnDemandResponse> ExecuteAsync(KeyTable keys, RotateKeyOnDemandRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireRotatable(key, Operation);
        KeyRules.RequireUsable(key);
        await keys.MutateAsync(key.KeyId, k =>
        {
            if (k.OnDemandRotationCount >= KeyService.MaxOnDemandRotations)
            {
                throw new LimitExceededException($"{k.Arn} has reached the limit of {KeyService.MaxOnDemandRotations} on-demand rotations.");
            }

            return keys.Rotate(k, RotationType.ON_DEMAND, keys.Now) with { OnDemandRotationCount = k.OnDemandRotationCount + 1 };
        }, cancellationToken).ConfigureAwait(false);
        return new RotateKeyOnDemandResponse { KeyId = key.KeyId };
    }
}
