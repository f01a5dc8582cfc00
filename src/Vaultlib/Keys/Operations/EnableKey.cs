using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>EnableKey</c>: Enables a disabled key; a rotation that fell due while it was disabled happens now, as in AWS.</summary>
internal sealed class EnableKey() : KeyOperation<EnableKeyRequest, EnableKeyResponse>("EnableKey", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static EnableKey Instance { get; } = new();

    public override async ValueTask<EnableKeyResponse> ExecuteAsync(KeyTable keys, EnableKeyRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireCustomerManaged(key, Operation);
        KeyRules.RequireNotPendingDeletion(key);
        KeyRules.RequireNotPendingImport(key);
        await keys.MutateAsync(key.KeyId, k =>
        {
            if (k.KeyState == KeyState.Enabled)
            {
                return k;
            }

            k = k with { KeyState = KeyState.Enabled };
            return k.RotationEnabled && k.NextRotationDate <= keys.Now ? keys.Rotate(k, RotationType.AUTOMATIC, keys.Now) : k;
        }, cancellationToken).ConfigureAwait(false);
        return new EnableKeyResponse();
    }
}
