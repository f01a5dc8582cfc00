using Vaultlib.Authorization;

namespace Vaultlib.Secrets;

/// <summary>
/// Resource policies on secrets: 1-20,480 characters of an IAM policy the shared parser accepts (its errors are
/// <see cref="MalformedPolicyDocumentException"/>), and what AWS calls broad access: an Allow statement for every
/// principal (<c>"*"</c> or <c>{"AWS": "*"}</c>, or a <c>NotPrincipal</c>) with no condition to narrow it.
/// </summary>
internal static class SecretPolicies
{
    public const int MaxLength = 20_480;

    /// <summary>The parsed policy, with AWS's errors for one that is too long or does not parse.</summary>
    public static PolicyDocument Parse(string? policy)
    {
        Internal.Validate.Length("ResourcePolicy", policy, 1, MaxLength);
        try
        {
            return PolicyDocument.Parse(policy!);
        }
        catch (PolicyDocumentException ex)
        {
            throw new MalformedPolicyDocumentException($"The resource policy has syntax errors: {ex.Detail}");
        }
    }

    /// <summary>The statements that give broad access, by their Sid or position.</summary>
    public static IEnumerable<string> BroadAccess(PolicyDocument policy) =>
        policy.Statements
            .Select((statement, index) => (statement, index))
            .Where(s => s.statement.Effect == PolicyEffect.Allow && s.statement.Conditions.Count == 0
                && (s.statement.NotPrincipal is not null || s.statement.Principal?.IsEveryone == true
                    || s.statement.Principal?.ByType.Values.Any(values => values.Contains("*", StringComparer.Ordinal)) == true))
            .Select(s => s.statement.Sid ?? $"statement {s.index + 1}");
}
