using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>DisableKey</c>: Disables a key: cryptographic operations then fail with DisabledException.</summary>
internal sealed class DisableKey() : KeyOperation<DisableKeyRequest, DisableKeyResponse>("DisableKey", readOnly: false)
{
    public static DisableKey Instance { get; } = new();

    protected override DisableKeyResponse Execute(KeyTable keys, DisableKeyRequest r, KeyRecord key, RequestContext context)
    {
        KeyRules.RequireCustomerManaged(key, Operation);
        KeyRules.RequireNotPendingDeletion(key);
        keys.Mutate(key.KeyId, k => k with { KeyState = KeyState.Disabled });
        return new DisableKeyResponse();
    }
}
