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

    /// <summary>The identity policies of <paramref name="principalArn"/> (none when never set).</summary>
    public IReadOnlyList<PolicyDocument> For(string principalArn) => _policies.GetValueOrDefault(principalArn) ?? [];
}
