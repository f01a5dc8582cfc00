using Vaultlib.Authorization;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// ACM's authorization: <c>acm:&lt;Operation&gt;</c> on the certificate's ARN (on <c>*</c> for RequestCertificate,
/// ImportCertificate without an ARN and ListCertificates), by the caller's identity policies with the certificate's
/// tags as <c>aws:ResourceTag</c>. (ACM has no resource policies.)
/// </summary>
internal sealed class AcmAuthorizer(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time) : IRequestAuthorizer
{
    private readonly IdentityPolicyCheck _check = new(options, identityPolicies, time);

    public void Authorize(Operation operation, IArnResource resource, RequestFacts facts, RequestContext context)
    {
        IEnumerable<KeyValuePair<string, string>>? tags = (resource as AcmRecord)?.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value ?? string.Empty));
        if (_check.Deny(operation.Action, resource.Arn, tags, facts, context) is { } denial)
        {
            throw new AccessDeniedException(denial);
        }
    }
}
