using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>EnableKeyRotation</c>: Turns on automatic rotation every 90-2560 days (default 365).</summary>
internal sealed class EnableKeyRotation() : KeyOperation<EnableKeyRotationRequest, EnableKeyRotationResponse>("EnableKeyRotation", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static EnableKeyRotation Instance { get; } = new();

    public override void Validate(EnableKeyRotationRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Range(nameof(r.RotationPeriodInDays), r.RotationPeriodInDays, 90, 2560);
    }

    public override async ValueTask<EnableKeyRotationResponse> ExecuteAsync(KeyTable keys, EnableKeyRotationRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireRotatable(key, Operation);
        KeyRules.RequireUsable(key);
        int period = r.RotationPeriodInDays ?? 365;
        await keys.MutateAsync(key.KeyId, k => k with { RotationEnabled = true, RotationPeriodInDays = period, NextRotationDate = keys.Now.AddDays(period) }, cancellationToken).ConfigureAwait(false);
        return new EnableKeyRotationResponse();
    }
}
