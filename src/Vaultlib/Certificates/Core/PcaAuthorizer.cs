using Vaultlib.Authorization;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates;

/// <summary>
/// Private CA's authorization: <c>acm-pca:&lt;Operation&gt;</c> on the CA's ARN (on <c>*</c> for CreateCertificateAuthority
/// and ListCertificateAuthorities), by the caller's identity policies with the CA's tags as <c>aws:ResourceTag</c>.
/// (AWS's CA resource policies, PutPolicy, are not built yet.)
/// </summary>
internal sealed class PcaAuthorizer(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time) : IRequestAuthorizer
{
    private readonly IdentityPolicyCheck _check = new(options, identityPolicies, time);

    public void Authorize(Operation operation, IArnResource resource, RequestFacts facts, RequestContext context)
    {
        IEnumerable<KeyValuePair<string, string>>? tags = (resource as CaRecord)?.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value ?? string.Empty));
        if (_check.Deny(operation.Action, resource.Arn, tags, facts, context) is { } denial)
        {
            throw new AccessDeniedException(denial);
        }
    }
}
