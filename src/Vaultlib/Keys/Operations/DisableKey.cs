using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DisableKey</c>: Disables a key: cryptographic operations then fail with DisabledException.</summary>
internal sealed class DisableKey() : KeyOperation<DisableKeyRequest, DisableKeyResponse>("DisableKey", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static DisableKey Instance { get; } = new();

    public override async ValueTask<DisableKeyResponse> ExecuteAsync(KeyTable keys, DisableKeyRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireCustomerManaged(key, Operation);
        KeyRules.RequireNotPendingDeletion(key);
        KeyRules.RequireNotPendingImport(key);
        await keys.MutateAsync(key.KeyId, k => k with { KeyState = KeyState.Disabled }, cancellationToken).ConfigureAwait(false);
        return new DisableKeyResponse();
    }
}
