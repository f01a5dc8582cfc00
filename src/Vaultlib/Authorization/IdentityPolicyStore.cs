using System.Collections.Concurrent;

namespace Vaultlib.Authorization;

/// <summary>
/// The IAM identity policies of principals (users and roles), which a key policy that names the
/// account delegates to, and which cross-account callers also need. The account root needs none:
/// it may do everything its account's resource policies let the account do. Thread-safe.
/// </summary>
public sealed class IdentityPolicyStore
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<PolicyDocument>> _policies = new(StringComparer.Ordinal);

    /// <summary>Replaces the identity policies of <paramref name="principalArn"/>.</summary>
    /// <exception cref="PolicyDocumentException">A policy is malformed.</exception>
    public void Set(string principalArn, params string[] policies)
    {
        ArgumentException.ThrowIfNullOrEmpty(principalArn);
        ArgumentNullException.ThrowIfNull(policies);
        _policies[principalArn] = [.. policies.Select(PolicyDocument.Parse)];
    }

    /// <summary>
    /// The identity policies that apply to <paramref name="principalArn"/> (none when never set): its
    /// own and, for an assumed-role session, those of its role.
    /// </summary>
    public IReadOnlyList<PolicyDocument> For(string principalArn)
    {
        ArgumentNullException.ThrowIfNull(principalArn);
        IReadOnlyList<PolicyDocument> own = _policies.GetValueOrDefault(principalArn) ?? [];
        return RoleArnOf(principalArn) is { } role && _policies.GetValueOrDefault(role) is { } roles ? [.. own, .. roles] : own;
    }

    /// <summary>
    /// The IAM role ARN an assumed-role session belongs to, with its path when the role's identity
    /// policies are registered here (<c>aws:PrincipalArn</c> of a session is its role's ARN); null for anything else.
    /// </summary>
    public string? RoleArnOf(string principalArn)
    {
        ArgumentNullException.ThrowIfNull(principalArn);
        if (PolicyEvaluator.RoleOfSession(principalArn) is not { } role || PolicyEvaluator.AccountOf(principalArn) is not { } account)
        {
            return null;
        }

        string partition = principalArn.Split(':', 3)[1];
        return _policies.Keys.FirstOrDefault(arn => PolicyEvaluator.IsRole(arn, account, role)) ?? $"arn:{partition}:iam::{account}:role/{role}";
    }
}
