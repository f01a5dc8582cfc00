using System.Collections.Concurrent;
using System.Globalization;
using Vaultlib.Authorization;
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
internal sealed class KmsAuthorizer(VaultlibOptions options, IdentityPolicyStore identityPolicies, TimeProvider time, Func<string, KeyIdentifier?> parseKeyId) : IRequestAuthorizer
{
    private static readonly ConcurrentDictionary<string, PolicyDocument> s_parsed = new(StringComparer.Ordinal);

    public void Authorize(Operation operation, IArnResource resource, object request)
    {
        CallerIdentity caller = VaultlibCaller.Resolve(options);
        KeyRecord? key = resource switch
        {
            KeyRecord record => record,
            IKeyResource keyResource => keyResource.Key,
            _ => null,
        };
        var policyRequest = new PolicyRequest
        {
            Principal = caller.Principal,
            Action = operation.Action,
            Resource = resource.Arn,
            Context = ConditionKeys(caller, key, request),
        };
        if (!Decide(caller, key, policyRequest))
        {
            throw new AccessDeniedException(
                $"User: {caller.Principal} is not authorized to perform: {operation.Action} on resource: {resource.Arn} because no {(key is null ? "identity-based" : "resource-based")} policy allows the {operation.Action} action");
        }
    }

    /// <summary>Would <paramref name="policy"/> let <paramref name="caller"/> do <paramref name="action"/> on the key (the lockout safety check)?</summary>
    internal bool Allows(string policy, CallerIdentity caller, KeyRecord key, string action)
    {
        var request = new PolicyRequest { Principal = caller.Principal, Action = action, Resource = key.Arn, Context = ConditionKeys(caller, key, null) };
        return Decide(caller, key with { Policy = policy }, request);
    }

    private bool Decide(CallerIdentity caller, KeyRecord? key, PolicyRequest request)
    {
        bool isRoot = caller.Account is { } account && caller.Principal == $"arn:{options.Partition}:iam::{account}:root";
        PolicyDecision identity = PolicyEvaluator.Evaluate(identityPolicies.For(caller.Principal), request);
        if (identity.Decision == PolicyDecisionType.ExplicitDeny)
        {
            return false;
        }

        bool identityAllows = isRoot || identity.IsAllowed;
        if (key is null)
        {
            return identityAllows && (caller.Account == options.AccountId || caller.Account is null);
        }

        PolicyDocument keyPolicy = s_parsed.GetOrAdd(key.Policy, PolicyDocument.Parse);
        PolicyDecision resourceDecision = PolicyEvaluator.Evaluate([keyPolicy], request);
        if (resourceDecision.Decision != PolicyDecisionType.Allow)
        {
            return false;
        }

        if (caller.Account != options.AccountId)
        {
            return identityAllows; // cross-account: both sides must allow
        }

        // Same account: a statement naming the caller (or everyone) allows on its own; one naming
        // the account delegates to the caller's identity policies.
        bool direct = resourceDecision.DecidingStatements.Any(m =>
            keyPolicy.Statements[m.StatementIndex] is { } statement
            && (statement.Principal is null || statement.Principal.IsEveryone
                || statement.Principal.ByType.Values.Any(values => values.Contains(caller.Principal, StringComparer.Ordinal) || values.Contains("*"))));
        return direct || identityAllows;
    }

    private Dictionary<string, IReadOnlyList<string>> ConditionKeys(CallerIdentity caller, KeyRecord? key, object? request)
    {
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:PrincipalArn"] = [caller.Principal],
            ["aws:SecureTransport"] = [caller.SecureTransport ? "true" : "false"],
            ["aws:CurrentTime"] = [time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)],
            ["kms:GrantIsForAWSResource"] = [caller.ViaService is null ? "false" : "true"],
        };
        if (caller.Account is { } account)
        {
            context["kms:CallerAccount"] = [account];
            context["aws:PrincipalAccount"] = [account];
        }

        if (caller.SourceIp is { } ip)
        {
            context["aws:SourceIp"] = [ip];
        }

        if (caller.ViaService is { } via)
        {
            context["kms:ViaService"] = [via];
        }

        if (key is not null)
        {
            context["kms:KeySpec"] = [key.KeySpec.ToString()];
            context["kms:KeyUsage"] = [key.KeyUsage.ToString()];
            context["kms:KeyOrigin"] = [key.Origin.ToString()];
        }

        (IReadOnlyDictionary<string, string>? encryptionContext, string? keyId) = request switch
        {
            EncryptRequest r => (r.EncryptionContext, r.KeyId),
            DecryptRequest r => (r.EncryptionContext, r.KeyId),
            ReEncryptRequest r => (r.SourceEncryptionContext, r.DestinationKeyId),
            GenerateDataKeyRequest r => (r.EncryptionContext, r.KeyId),
            GenerateDataKeyWithoutPlaintextRequest r => (r.EncryptionContext, r.KeyId),
            GenerateDataKeyPairRequest r => (r.EncryptionContext, r.KeyId),
            GenerateDataKeyPairWithoutPlaintextRequest r => (r.EncryptionContext, r.KeyId),
            DescribeKeyRequest r => (null, r.KeyId),
            SignRequest r => (null, r.KeyId),
            VerifyRequest r => (null, r.KeyId),
            GenerateMacRequest r => (null, r.KeyId),
            VerifyMacRequest r => (null, r.KeyId),
            GetPublicKeyRequest r => (null, r.KeyId),
            _ => (null, null),
        };
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
