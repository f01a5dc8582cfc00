using Vaultlib.Authorization;
using Vaultlib.Pipeline;

namespace Vaultlib.Parameters;

/// <summary>
/// Parameter Store's authorization, as IAM evaluates it for SSM: parameters have no resource
/// policies, so the caller's identity policies decide (an explicit Deny wins; no Allow is a denial),
/// and the account root is always allowed. A request on several parameters (GetParameters,
/// DeleteParameters) needs the action on each.
/// </summary>
internal sealed class SsmAuthorizer(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time) : IRequestAuthorizer
{
    private readonly IdentityPolicyCheck _check = new(options, identityPolicies, time);

    public void Authorize(Operation operation, IArnResource resource, RequestFacts facts, RequestContext context)
    {
        if (resource is not ParameterSetResource set)
        {
            // The common case, one parameter: checked without a list or an enumerator made for it.
            Check(operation, resource.Arn, (resource as ParameterRecord)?.Tags, facts, context);
            return;
        }

        foreach ((string arn, IEnumerable<KeyValuePair<string, string>>? tags) in set.Members)
        {
            Check(operation, arn, tags, facts, context);
        }
    }

    private void Check(Operation operation, string arn, IEnumerable<KeyValuePair<string, string>>? tags, RequestFacts facts, RequestContext context)
    {
        if (_check.Deny(operation.Action, arn, tags, facts, context) is { } denial)
        {
            throw new AccessDeniedException(denial);
        }
    }
}

/// <summary>The parameters a request on several names acts on: each must be allowed.</summary>
internal sealed record ParameterSetResource(string Arn, IReadOnlyList<(string Arn, IEnumerable<KeyValuePair<string, string>>? Tags)> Members) : IArnResource;

/// <summary>
/// A path (GetParametersByPath): its ARN is the path's, <c>parameter/&lt;path&gt;</c>, and <see cref="Prefix"/> what the
/// identities under it begin with (<c>a/b/</c> for <c>/a/b</c>, empty for <c>/</c>).
/// </summary>
internal sealed record PathResource(string Arn, string Prefix) : IArnResource;
