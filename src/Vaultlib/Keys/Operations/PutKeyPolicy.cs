using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>PutKeyPolicy</c>: Replaces a key's policy, after the lockout safety check.</summary>
internal sealed class PutKeyPolicy() : KeyOperation<PutKeyPolicyRequest, PutKeyPolicyResponse>("PutKeyPolicy", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static PutKeyPolicy Instance { get; } = new();

    public override RequestFacts Facts(PutKeyPolicyRequest r) => new() { BypassPolicyLockoutSafetyCheck = r.BypassPolicyLockoutSafetyCheck ?? false };

    public override void Validate(PutKeyPolicyRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        KmsValidate.PolicyName(r.PolicyName);
        KmsValidate.Policy(r.Policy);
    }

    public override async ValueTask<PutKeyPolicyResponse> ExecuteAsync(KeyTable keys, PutKeyPolicyRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireNotPendingDeletion(key);
        if (r.BypassPolicyLockoutSafetyCheck != true)
        {
            RequireNoLockout(keys, r.Policy, key, context);
        }

        await keys.MutateAsync(key.KeyId, k => k with { Policy = r.Policy }, cancellationToken).ConfigureAwait(false);
        return new PutKeyPolicyResponse();
    }

    /// <summary>The lockout safety check: the new policy must still let the caller change the policy.</summary>
    public static void RequireNoLockout(KeyTable keys, string policy, KeyRecord key, RequestContext context)
    {
        if (!keys.Authorizer.Allows(policy, context, key, "kms:PutKeyPolicy"))
        {
            throw new MalformedPolicyDocumentException(
                string.Empty,
                "The new key policy will not allow you to update the key policy in the future. Set BypassPolicyLockoutSafetyCheck to apply it anyway.");
        }
    }
}
