using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>GetResourcePolicy</c>: The secret's resource policy, if it has one.</summary>
internal sealed class GetResourcePolicy() : SecretOperation<GetResourcePolicyRequest, GetResourcePolicyResponse>("GetResourcePolicy", readOnly: true, allowsDeleted: true)
{
    public static GetResourcePolicy Instance { get; } = new();

    protected override string SecretIdOf(GetResourcePolicyRequest request) => request.SecretId;

    protected override GetResourcePolicyResponse Execute(SecretTable table, GetResourcePolicyRequest r, SecretRecord s, RequestContext context) =>
        new() { ARN = s.Arn, Name = s.Name, ResourcePolicy = s.ResourcePolicy };
}
