using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GetKeyRotationStatus</c>: Whether automatic rotation is on, its period and the next rotation date.</summary>
internal sealed class GetKeyRotationStatus() : KeyOperation<GetKeyRotationStatusRequest, GetKeyRotationStatusResponse>("GetKeyRotationStatus", readOnly: true, KeyIdForms.KeyIdOrArn)
{
    public static GetKeyRotationStatus Instance { get; } = new();

    protected override GetKeyRotationStatusResponse Execute(KeyTable keys, GetKeyRotationStatusRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireRotationQueryable(key, "automatic rotation");
        return new GetKeyRotationStatusResponse
        {
            KeyId = key.KeyId,
            KeyRotationEnabled = key.RotationEnabled,
            RotationPeriodInDays = key.RotationPeriodInDays,
            NextRotationDate = key.NextRotationDate,
        };
    }
}
