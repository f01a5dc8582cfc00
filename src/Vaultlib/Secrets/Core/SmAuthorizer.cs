using Vaultlib.Authorization;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>
/// Secrets Manager's authorization, as IAM evaluates it: the caller's identity policies and the secret's resource
/// policy (an explicit Deny in either wins; within the account an Allow in either suffices; a caller of another
/// account needs both). The account root is allowed within its account unless a resource policy denies it.
/// </summary>
internal sealed class SmAuthorizer(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time) : IRequestAuthorizer
{
    private readonly string _accountRoot = CallerIdentity.AccountRoot(options).Principal;

    public void Authorize(Operation operation, IArnResource resource, RequestFacts facts, RequestContext context)
    {
        CallerIdentity caller = context.Caller;
        SecretRecord? secret = resource as SecretRecord;
        PolicyDocument? resourcePolicy = secret?.Policy;
        if (caller.Principal == _accountRoot && resourcePolicy is null)
        {
            return;
        }

        Dictionary<string, IReadOnlyList<string>> conditionKeys = GlobalConditionKeys.For(caller, facts.RequestTags, facts.TagKeys, context.RequestedRegion, time, identityPolicies);
        if (secret is not null)
        {
            GlobalConditionKeys.AddResourceTags(conditionKeys, secret.Tags.Select(t => KeyValuePair.Create(t.Key, t.Value)));
            conditionKeys["secretsmanager:SecretId"] = [secret.Arn];
        }

        AccessDecision decision = AccessEvaluator.Evaluate(new AccessRequest
        {
            Caller = caller,
            Action = operation.Action,
            Resource = resource.Arn,
            ResourceAccount = options.AccountId,
            IdentityPolicies = identityPolicies.For(caller.Principal),
            ResourcePolicy = resourcePolicy,
            Context = conditionKeys,
        });
        if (!decision.IsAllowed)
        {
            string reason = decision.IsExplicitDeny ? "with an explicit deny" : "because no identity-based or resource-based policy allows the " + operation.Action + " action";
            throw new AccessDeniedException($"User: {caller.Principal} is not authorized to perform: {operation.Action} on resource: {resource.Arn} {reason}");
        }
    }
}
