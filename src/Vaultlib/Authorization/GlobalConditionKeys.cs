using System.Globalization;

namespace Vaultlib.Authorization;

/// <summary>
/// The global condition keys (<c>aws:*</c>) every service's requests carry, built from the caller,
/// the request's tags and the clock. Each service adds its own keys (<c>kms:*</c>, <c>ssm:*</c>) on top.
/// </summary>
internal static class GlobalConditionKeys
{
    private static readonly Dictionary<string, string> s_none = [];

    public static Dictionary<string, IReadOnlyList<string>> For(CallerIdentity caller, IReadOnlyDictionary<string, string>? requestTags, IReadOnlyList<string>? tagKeysNamed, string requestedRegion, TimeProvider time, IdentityPolicyStore identityPolicies)
    {
        DateTimeOffset now = time.GetUtcNow();
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:PrincipalArn"] = [identityPolicies.RoleArnOf(caller.Principal) ?? caller.Principal],
            ["aws:SecureTransport"] = [caller.SecureTransport ? "true" : "false"],
            ["aws:CurrentTime"] = [now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)],
            ["aws:EpochTime"] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            ["aws:RequestedRegion"] = [requestedRegion],
            ["aws:PrincipalType"] = [PrincipalType(caller.Principal)],
        };
        if (caller.Account is { } account)
        {
            context["aws:PrincipalAccount"] = [account];
        }

        if (UserName(caller.Principal) is { } userName)
        {
            context["aws:username"] = [userName];
        }

        if (caller.UserId is { } userId)
        {
            context["aws:userid"] = [userId];
        }

        if (caller.MultiFactorAuthPresent is { } mfa)
        {
            context["aws:MultiFactorAuthPresent"] = [mfa ? "true" : "false"];
        }

        if (caller.UserAgent is { } userAgent)
        {
            context["aws:UserAgent"] = [userAgent];
        }

        foreach ((string tagKey, string tagValue) in caller.PrincipalTags ?? s_none)
        {
            context[$"aws:PrincipalTag/{tagKey}"] = [tagValue];
        }

        if (caller.SourceIp is { } ip)
        {
            context["aws:SourceIp"] = [ip];
        }

        if (caller.SourceVpce is { } vpce)
        {
            context["aws:SourceVpce"] = [vpce];
        }

        foreach ((string tagKey, string tagValue) in requestTags ?? s_none)
        {
            context[$"aws:RequestTag/{tagKey}"] = [tagValue];
        }

        string[] tagKeys = [.. (requestTags?.Keys ?? []).Concat(tagKeysNamed ?? [])];
        if (tagKeys.Length > 0)
        {
            context["aws:TagKeys"] = tagKeys;
        }

        return context;
    }

    /// <summary>The resource's tags as <c>aws:ResourceTag/*</c>.</summary>
    public static void AddResourceTags(Dictionary<string, IReadOnlyList<string>> context, IEnumerable<KeyValuePair<string, string>> tags)
    {
        foreach ((string tagKey, string tagValue) in tags)
        {
            context[$"aws:ResourceTag/{tagKey}"] = [tagValue];
        }
    }

    /// <summary><c>aws:PrincipalType</c>: Account (the root), User, AssumedRole, or AWSService.</summary>
    private static string PrincipalType(string principal) =>
        principal.Split(':', 6) is [_, _, var service, _, _, var resource]
            ? resource == "root" ? "Account" : service == "sts" ? "AssumedRole" : resource.StartsWith("user/", StringComparison.Ordinal) ? "User" : "Role"
            : "AWSService";

    /// <summary><c>aws:username</c>: the name of an IAM user (not of a role or the root).</summary>
    private static string? UserName(string principal) =>
        principal.Split(':', 6) is [_, _, "iam", _, _, var resource] && resource.StartsWith("user/", StringComparison.Ordinal)
            ? resource[(resource.LastIndexOf('/') + 1)..]
            : null;
}
