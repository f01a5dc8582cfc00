namespace Vaultlib.Authorization;

/// <summary>One authorization question: may this caller do this action on this resource, under these policies?</summary>
public sealed record AccessRequest
{
    /// <summary>Who asks (its principal decides which statements name it, and its account whether the request is cross-account).</summary>
    public required CallerIdentity Caller { get; init; }

    /// <summary>The IAM action, e.g. <c>kms:Encrypt</c> or <c>secretsmanager:GetSecretValue</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The resource ARN.</summary>
    public required string Resource { get; init; }

    /// <summary>The account that owns the resource; taken from <see cref="Resource"/> when null.</summary>
    public string? ResourceAccount { get; init; }

    /// <summary>The caller's identity policies.</summary>
    public IReadOnlyList<PolicyDocument> IdentityPolicies { get; init; } = [];

    /// <summary>The resource's policy (a KMS key policy, a secret's resource policy, a bucket policy), if any.</summary>
    public PolicyDocument? ResourcePolicy { get; init; }

    /// <summary>
    /// Whether only the resource policy can open access (KMS: a key policy must allow, itself or by
    /// delegating to the account's identity policies). When false, as for most services, an identity
    /// policy alone allows within the account.
    /// </summary>
    public bool ResourcePolicyRequired { get; init; }

    /// <summary>The request's condition keys (<c>aws:SecureTransport</c>, <c>kms:EncryptionContext:*</c>…).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Context { get; init; } = PolicyEvaluator.NoConditionKeys;
}

/// <summary>The answer, with the evaluations that gave it.</summary>
/// <param name="IsAllowed">Whether the request is allowed.</param>
/// <param name="IsExplicitDeny">Whether a Deny statement refused it (as opposed to nothing allowing it).</param>
/// <param name="Identity">The identity policies' decision and deciding statements.</param>
/// <param name="Resource">The resource policy's decision and deciding statements, when there is one.</param>
/// <param name="DeniedBy">When refused: <c>identity-based</c> or <c>resource-based</c>, the side AWS names in its message.</param>
public sealed record AccessDecision(bool IsAllowed, bool IsExplicitDeny, PolicyDecision Identity, PolicyDecision? Resource, string? DeniedBy);

/// <summary>
/// AWS's policy evaluation across identity and resource policies, for any service, and a simulator
/// for your own policies: an explicit Deny in either wins; within the resource's account, a resource
/// policy statement that names the caller (or everyone) allows on its own, one that names the
/// account delegates to the caller's identity policies (which the account root always passes), and
/// an identity policy alone allows unless the service requires its resource policy (KMS); across
/// accounts, both sides must allow.
/// </summary>
public static class AccessEvaluator
{
    /// <summary>Evaluates one request.</summary>
    public static AccessDecision Evaluate(AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policyRequest = new PolicyRequest { Principal = request.Caller.Principal, Action = request.Action, Resource = request.Resource, Context = request.Context };
        PolicyDecision identity = PolicyEvaluator.Evaluate(request.IdentityPolicies, policyRequest);
        PolicyDecision? resource = request.ResourcePolicy is null ? null : PolicyEvaluator.Evaluate([request.ResourcePolicy], policyRequest);
        if (identity.Decision == PolicyDecisionType.ExplicitDeny)
        {
            return new AccessDecision(false, true, identity, resource, "identity-based");
        }

        if (resource?.Decision == PolicyDecisionType.ExplicitDeny)
        {
            return new AccessDecision(false, true, identity, resource, "resource-based");
        }

        string? callerAccount = request.Caller.Account;
        string? resourceAccount = request.ResourceAccount ?? PolicyEvaluator.AccountOfResource(request.Resource);
        bool isRoot = callerAccount is not null && PolicyEvaluator.IsAccountRoot(request.Caller.Principal, callerAccount);
        bool identityAllows = isRoot || identity.IsAllowed;
        bool sameAccount = callerAccount is null || resourceAccount is null || callerAccount == resourceAccount;

        if (!sameAccount)
        {
            bool allowed = identityAllows && resource?.IsAllowed == true;
            return new AccessDecision(allowed, false, identity, resource, allowed ? null : resource?.IsAllowed == true ? "identity-based" : "resource-based");
        }

        if (resource?.IsAllowed == true)
        {
            // A statement naming the caller (or everyone) allows on its own; one naming the account delegates.
            string? sessionRole = PolicyEvaluator.RoleOfSession(request.Caller.Principal);
            bool direct = resource.DecidingStatements.Any(m => NamesCaller(request.ResourcePolicy!.Statements[m.StatementIndex].Principal, request.Caller.Principal, callerAccount!, sessionRole));
            bool allowed = direct || identityAllows;
            return new AccessDecision(allowed, false, identity, resource, allowed ? null : "identity-based");
        }

        if (request.ResourcePolicyRequired)
        {
            return new AccessDecision(false, false, identity, resource, "resource-based");
        }

        return new AccessDecision(identityAllows, false, identity, resource, identityAllows ? null : "identity-based");
    }

    /// <summary>Whether a statement's principal names the caller itself (or everyone), as opposed to the caller's account.</summary>
    private static bool NamesCaller(PrincipalSet? principal, string caller, string account, string? sessionRole)
    {
        if (principal is null || principal.IsEveryone)
        {
            return true;
        }

        // Stryker disable once String : an AWS "*" makes the set IsEveryone when parsed, checked first above
        return principal.ByType.Values.Any(values => values.Any(v => v == "*" || v == caller || (sessionRole is not null && PolicyEvaluator.IsRole(v, account, sessionRole))));
    }
}
