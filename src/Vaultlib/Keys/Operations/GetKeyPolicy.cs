using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>GetKeyPolicy</c>: Returns a key's policy.</summary>
internal sealed class GetKeyPolicy() : KeyOperation<GetKeyPolicyRequest, GetKeyPolicyResponse>("GetKeyPolicy", readOnly: true, KeyIdForms.KeyIdOrArn)
{
    public static GetKeyPolicy Instance { get; } = new();

    public override void Validate(GetKeyPolicyRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        KmsValidate.PolicyName(r.PolicyName);
    }

    protected override GetKeyPolicyResponse Execute(KeyTable keys, GetKeyPolicyRequest r, KeyRecord key, RequestContext context) =>
        new() { Policy = key.Policy, PolicyName = "default" };
}
