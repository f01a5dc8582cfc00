using System.Globalization;
using Vaultlib.Authorization;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>
/// KMS's authorization, as AWS evaluates it: an explicit Deny in the key policy or the caller's
/// identity policies wins. In the key's account, a key policy statement that names the caller (or
/// "*") allows on its own; one that names the account delegates to the caller's identity policies
/// (the account root always passes that step). A caller from another account needs both the key
/// policy and its own identity policy to allow. Operations on no key (CreateKey, ListKeys…) are
/// decided by identity policies alone.
/// </summary>
internal sealed class KmsAuthorizer(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time, Func<string, KeyIdentifier?> parseKeyId, Func<KeyRecord, IEnumerable<GrantRecord>> grantsOf, Func<KeyRecord, IEnumerable<string>> aliasesOf) : IRequestAuthorizer
{
    private static readonly BoundedCache<PolicyDocument> s_parsed = new();
    private static readonly Dictionary<string, string> s_noTags = [];
    private readonly string _accountRoot = CallerIdentity.AccountRoot(options).Principal;

    /// <summary>The KMS actions AWS permits on a key of another account (its API reference: "Cross-account use: Yes").</summary>
    private static readonly HashSet<string> s_crossAccountActions = new(StringComparer.OrdinalIgnoreCase)
    {
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
        "kms:GenerateDataKeyPair", "kms:GenerateDataKeyPairWithoutPlaintext", "kms:GenerateMac", "kms:VerifyMac", "kms:Sign", "kms:Verify",
        "kms:DeriveSharedSecret", "kms:DescribeKey", "kms:GetPublicKey", "kms:GetKeyRotationStatus",
        "kms:CreateGrant", "kms:ListGrants", "kms:RetireGrant", "kms:RevokeGrant",
    };

    public void Authorize(Operation operation, IArnResource resource, RequestFacts facts, RequestContext context)
    {
        CallerIdentity caller = context.Caller;
        switch (resource)
        {
            case IReEncryptResource reEncrypt:
                // ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination.
                Require(caller, "kms:ReEncryptFrom", reEncrypt.Key, reEncrypt.Key.Arn, facts, context, GrantOperation.ReEncryptFrom);
                Require(caller, "kms:ReEncryptTo", reEncrypt.Destination, reEncrypt.Destination.Arn, facts, context, GrantOperation.ReEncryptTo);
                return;
            case GrantResource grant when CanRetire(caller, grant):
                return;
            default:
                KeyRecord? key = resource switch
                {
                    KeyRecord record => record,
                    IKeyResource keyResource => keyResource.Key,
                    _ => null,
                };
                Require(caller, operation.Action, key, resource.Arn, facts, context, Enum.TryParse(operation.Name, out GrantOperation granted) ? granted : null);
                return;
        }
    }

    private void Require(CallerIdentity caller, string action, KeyRecord? key, string arn, RequestFacts facts, RequestContext context, GrantOperation? grantOperation)
    {
        IReadOnlyList<PolicyDocument> identity = identityPolicies.For(caller.Principal);
        PolicyDocument? keyPolicy = key is null ? null : s_parsed.Get(key.Policy, PolicyDocument.Parse);

        // Condition keys are built only when a policy that applies has a condition to test.
        bool conditional = keyPolicy?.Statements.Any(NeedsContext) == true || identity.Any(d => d.Statements.Any(NeedsContext));
        AccessDecision decision = Decide(caller, keyPolicy, identity, action, arn, conditional ? ConditionKeys(caller, key, facts, context) : PolicyEvaluator.NoConditionKeys);
        if (decision.IsAllowed || (!decision.IsExplicitDeny && key is not null && grantOperation is { } op && Granted(caller, key, op, facts)))
        {
            return;
        }

        // Name the side that refused, as AWS does: the key policy, or the identity policy it delegates to.
        string side = decision.DeniedBy ?? "identity-based";
        string reason = decision.IsExplicitDeny ? $"with an explicit deny in a {side} policy" : $"because no {side} policy allows the {action} action";
        throw KmsErrors.NotAuthorized(caller.Principal, action, arn, reason);
    }

    /// <summary>Whether evaluating the statement reads the request's context: conditions, or policy variables in its resources.</summary>
    private static bool NeedsContext(PolicyStatement statement) =>
        statement.Conditions.Count > 0
        || (statement.UsesVariables && (statement.Resource ?? statement.NotResource ?? []).Any(r => r.Contains("${", StringComparison.Ordinal)));

    /// <summary>A grant for the caller on the key that permits the operation, whose constraints the request's context meets.</summary>
    /// <remarks>As AWS documents, grant constraints are ignored for DescribeKey and RetireGrant, which carry no encryption context.</remarks>
    private bool Granted(CallerIdentity caller, KeyRecord key, GrantOperation operation, RequestFacts facts) =>
        grantsOf(key).Any(g => g.GranteePrincipal == caller.Principal && g.Operations.Contains(operation)
            && (operation is GrantOperation.DescribeKey or GrantOperation.RetireGrant || g.ConstraintsHold(facts.EncryptionContext)));

    /// <summary>The retiring principal, a grantee whose grant permits RetireGrant, or the key account's root may retire a grant.</summary>
    private bool CanRetire(CallerIdentity caller, GrantResource resource) =>
        caller.Principal == resource.Grant.RetiringPrincipal
        || (caller.Principal == resource.Grant.GranteePrincipal && resource.Grant.Operations.Contains(GrantOperation.RetireGrant))
        || caller.Principal == _accountRoot;

    /// <summary>Would <paramref name="policy"/> let the caller do <paramref name="action"/> on the key (the lockout safety check)?</summary>
    internal bool Allows(string policy, RequestContext context, KeyRecord key, string action) =>
        Decide(context.Caller, s_parsed.Get(policy, PolicyDocument.Parse), identityPolicies.For(context.Caller.Principal), action, key.Arn, ConditionKeys(context.Caller, key with { Policy = policy }, RequestFacts.None, context)).IsAllowed;

    /// <summary>
    /// AWS's evaluation (<see cref="AccessEvaluator"/>) with KMS's two rules on top: a key's policy is
    /// required (operations on no key are decided by identity policies alone), and across accounts
    /// only the operations AWS permits across accounts can be allowed at all.
    /// </summary>
    private AccessDecision Decide(CallerIdentity caller, PolicyDocument? keyPolicy, IReadOnlyList<PolicyDocument> identity, string action, string arn, IReadOnlyDictionary<string, IReadOnlyList<string>> conditionKeys)
    {
        AccessDecision decision = AccessEvaluator.Evaluate(new AccessRequest
        {
            Caller = caller,
            Action = action,
            Resource = arn,
            ResourceAccount = options.AccountId,
            IdentityPolicies = identity,
            ResourcePolicy = keyPolicy,
            ResourcePolicyRequired = keyPolicy is not null,
            Context = conditionKeys,
        });
        bool crossAccount = caller.Account is { } account && account != options.AccountId;
        if (decision.IsAllowed && crossAccount && (keyPolicy is null || !s_crossAccountActions.Contains(action)))
        {
            return decision with { IsAllowed = false, DeniedBy = "resource-based" };
        }

        return decision;
    }

    private Dictionary<string, IReadOnlyList<string>> ConditionKeys(CallerIdentity caller, KeyRecord? key, RequestFacts facts, RequestContext requestContext)
    {
        Dictionary<string, IReadOnlyList<string>> context = GlobalConditionKeys.For(caller, facts.RequestTags, facts.TagKeys, requestContext.RequestedRegion, time, identityPolicies);
        context["kms:GrantIsForAWSResource"] = [caller.ViaService is null ? "false" : "true"];
        if (caller.Account is { } account)
        {
            context["kms:CallerAccount"] = [account];
        }

        if (caller.ViaService is { } via)
        {
            context["kms:ViaService"] = [via];
        }

        if (facts.BypassPolicyLockoutSafetyCheck is { } bypass)
        {
            context["kms:BypassPolicyLockoutSafetyCheck"] = [bypass ? "true" : "false"];
        }

        if (key is not null)
        {
            string[] aliases = [.. aliasesOf(key)];
            if (aliases.Length > 0)
            {
                context["kms:ResourceAliases"] = aliases;
            }

            GlobalConditionKeys.AddResourceTags(context, key.Tags);

            context["kms:KeySpec"] = [key.KeySpec.ToString()];
            context["kms:KeyUsage"] = [key.KeyUsage.ToString()];
            context["kms:KeyOrigin"] = [key.Origin.ToString()];
            context["kms:MultiRegion"] = [key.PrimaryRegion is null ? "false" : "true"];
            if (key.PrimaryRegion is not null)
            {
                context["kms:MultiRegionKeyType"] = [key.IsReplica ? "REPLICA" : "PRIMARY"];
            }
        }

        foreach ((string name, string value) in facts.OperationKeys ?? s_noTags)
        {
            context[name] = [value];
        }

        (IReadOnlyDictionary<string, string>? encryptionContext, string? keyId) = (facts.EncryptionContext, facts.KeyId);
        if (encryptionContext is { Count: > 0 })
        {
            foreach ((string name, string value) in encryptionContext)
            {
                context[$"kms:EncryptionContext:{name}"] = [value];
            }

            context["kms:EncryptionContextKeys"] = [.. encryptionContext.Keys];
        }

        if (keyId is not null && parseKeyId(keyId) is { Form: KeyIdForm.AliasName or KeyIdForm.AliasArn } alias)
        {
            context["kms:RequestAlias"] = [alias.Value];
        }

        return context;
    }
}

/// <summary>A resource that is about one key (a blob's key, a re-encryption's source).</summary>
internal interface IKeyResource : IArnResource
{
    KeyRecord Key { get; }
}

/// <summary>A re-encryption: its source key (<see cref="IKeyResource.Key"/>) and its destination.</summary>
internal interface IReEncryptResource : IKeyResource
{
    KeyRecord Destination { get; }
}

/// <summary>A grant and the key it is on (RetireGrant's resource).</summary>
internal sealed record GrantResource(GrantRecord Grant, KeyRecord Key) : IKeyResource
{
    public string Arn => Key.Arn;
}
