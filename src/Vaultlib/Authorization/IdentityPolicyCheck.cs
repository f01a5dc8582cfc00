using Vaultlib.Pipeline;

namespace Vaultlib.Authorization;

/// <summary>
/// The check of services whose resources have no resource policies (Parameter Store's parameters, Private CA's
/// CAs): the caller's identity policies decide, as IAM evaluates them (an explicit Deny wins; no Allow is a
/// denial), with the global condition keys and the resource's tags; the account root is always allowed.
/// </summary>
internal sealed class IdentityPolicyCheck(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time)
{
    private readonly string _accountRoot = CallerIdentity.AccountRoot(options).Principal;

    /// <summary>Null when <paramref name="context"/>'s caller may do <paramref name="action"/> on <paramref name="arn"/>; otherwise the reason, in AWS's words.</summary>
    public string? Deny(string action, string arn, IEnumerable<KeyValuePair<string, string>>? tags, RequestFacts facts, RequestContext context)
    {
        CallerIdentity caller = context.Caller;
        if (caller.Principal == _accountRoot)
        {
            return null;
        }

        Dictionary<string, IReadOnlyList<string>> conditionKeys = GlobalConditionKeys.For(caller, facts.RequestTags, facts.TagKeys, context.RequestedRegion, time, identityPolicies);
        if (tags is not null)
        {
            GlobalConditionKeys.AddResourceTags(conditionKeys, tags);
        }

        AccessDecision decision = AccessEvaluator.Evaluate(new AccessRequest
        {
            Caller = caller,
            Action = action,
            Resource = arn,
            ResourceAccount = options.AccountId,
            IdentityPolicies = identityPolicies.For(caller.Principal),
            Context = conditionKeys,
        });
        if (decision.IsAllowed)
        {
            return null;
        }

        string reason = decision.IsExplicitDeny ? "with an explicit deny in an identity-based policy" : $"because no identity-based policy allows the {action} action";
        return $"User: {caller.Principal} is not authorized to perform: {action} on resource: {arn} {reason}";
    }
}
