namespace Vaultlib.Authorization;

/// <summary>The outcome of evaluating policies for a request.</summary>
public enum PolicyDecisionType
{
    /// <summary>No statement allowed the request (and none denied it).</summary>
    ImplicitDeny,

    /// <summary>A statement allowed the request and none denied it.</summary>
    Allow,

    /// <summary>A statement denied the request: nothing can override it.</summary>
    ExplicitDeny,
}

/// <summary>A request to authorize, in IAM's terms.</summary>
public sealed record PolicyRequest
{
    /// <summary>The caller: an IAM ARN (<c>arn:aws:iam::111122223333:role/app</c>) or a service principal (<c>ssm.amazonaws.com</c>).</summary>
    public required string Principal { get; init; }

    /// <summary>The action, e.g. <c>kms:Encrypt</c> or <c>s3:GetObject</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The resource ARN.</summary>
    public required string Resource { get; init; }

    /// <summary>Condition keys and their values (<c>aws:SecureTransport</c>, <c>kms:EncryptionContext:tenant</c>, …).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Context { get; init; } = PolicyEvaluator.NoConditionKeys;
}

/// <summary>A statement that took part in a decision.</summary>
/// <param name="PolicyIndex">Which policy of the set.</param>
/// <param name="StatementIndex">Which statement of that policy.</param>
/// <param name="Sid">The statement's Sid, if any.</param>
/// <param name="Effect">Its effect.</param>
public sealed record MatchedStatement(int PolicyIndex, int StatementIndex, string? Sid, PolicyEffect Effect);

/// <summary>The decision and the statements that made it (the denying ones for an explicit deny, the allowing ones for an allow).</summary>
public sealed record PolicyDecision(PolicyDecisionType Decision, IReadOnlyList<MatchedStatement> DecidingStatements)
{
    /// <summary>True only for <see cref="PolicyDecisionType.Allow"/>.</summary>
    public bool IsAllowed => Decision == PolicyDecisionType.Allow;
}

/// <summary>
/// Evaluates policy documents as AWS does within one policy set: an explicit Deny wins, then an
/// Allow, else the request is implicitly denied. This is also the policy simulator: give it any
/// policies and any request, and it returns the decision with the statements that decided it.
/// </summary>
public static class PolicyEvaluator
{
    /// <summary>The empty condition-key set, shared.</summary>
    internal static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoConditionKeys = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Evaluates <paramref name="request"/> against every statement of <paramref name="policies"/>.</summary>
    public static PolicyDecision Evaluate(IReadOnlyList<PolicyDocument> policies, PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);
        var allows = new List<MatchedStatement>();
        var denies = new List<MatchedStatement>();
        for (int p = 0; p < policies.Count; p++)
        {
            IReadOnlyList<PolicyStatement> statements = policies[p].Statements;
            for (int s = 0; s < statements.Count; s++)
            {
                PolicyStatement statement = statements[s];
                if (Matches(statement, request))
                {
                    (statement.Effect == PolicyEffect.Deny ? denies : allows).Add(new MatchedStatement(p, s, statement.Sid, statement.Effect));
                }
            }
        }

        return denies.Count > 0 ? new PolicyDecision(PolicyDecisionType.ExplicitDeny, denies)
            : allows.Count > 0 ? new PolicyDecision(PolicyDecisionType.Allow, allows)
            : new PolicyDecision(PolicyDecisionType.ImplicitDeny, []);
    }

    /// <summary>Whether one statement applies to the request (its effect aside).</summary>
    public static bool Matches(PolicyStatement statement, PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(request);
        bool principal = statement.Principal is not null ? PrincipalMatches(statement.Principal, request.Principal)
            : statement.NotPrincipal is null || !PrincipalMatches(statement.NotPrincipal, request.Principal);
        bool action = statement.Action is not null
            ? statement.Action.Any(a => ActionMatches(a, request.Action))
            : !statement.NotAction!.Any(a => ActionMatches(a, request.Action));
        // A statement with neither Resource nor NotResource applies to nothing (AWS: such a key
        // policy statement has no effect; IAM refuses such an identity policy outright).
        bool resource = statement.Resource is not null ? statement.Resource.Any(r => ResourceMatches(Resolve(r), request.Resource))
            : statement.NotResource is not null && !statement.NotResource.Any(r => ResourceMatches(Resolve(r), request.Resource));
        return principal && action && resource && statement.Conditions.All(c => c.Evaluate(request.Context, statement.UsesVariables));

        // A resource pattern whose variable has no value matches nothing.
        string? Resolve(string pattern) => statement.UsesVariables ? PolicyVariables.Substitute(pattern, request.Context, wildcardPattern: true) : pattern;
    }

    private static bool ActionMatches(string pattern, string action) => PolicyCondition.Glob(pattern, action, ignoreCase: true);

    private static bool ResourceMatches(string? pattern, string resource) =>
        // Stryker disable once all : "*" also matches every resource as a wildcard; the test is a shortcut
        pattern is not null && (pattern == "*" || PolicyCondition.ArnMatches(pattern, resource));

    /// <summary>
    /// An account id or <c>arn:aws:iam::ACCOUNT:root</c> matches every principal of that account (the
    /// account then delegates to its identity policies); other ARNs match exactly; services by name.
    /// </summary>
    internal static bool PrincipalMatches(PrincipalSet set, string principal)
    {
        if (set.IsEveryone)
        {
            return true;
        }

        string? account = AccountOf(principal);
        string? sessionRole = RoleOfSession(principal);
        foreach ((string type, IReadOnlyList<string> values) in set.ByType)
        {
            foreach (string value in values)
            {
                bool match = type == "AWS"
                    // Stryker disable once all : an AWS "*" makes the set IsEveryone when parsed, which returned above
                    ? value == "*"
                        || string.Equals(value, principal, StringComparison.Ordinal)
                        || (account is not null && (value == account || IsAccountRoot(value, account)))
                        || (sessionRole is not null && IsRole(value, account!, sessionRole))
                    : string.Equals(value, principal, StringComparison.Ordinal);
                if (match)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The role name of an assumed-role session ARN (<c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>),
    /// or null: a role ARN in a policy covers that role's sessions.
    /// </summary>
    public static string? RoleOfSession(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ReadOnlySpan<char> arn = principal;
        Span<Range> fields = stackalloc Range[6];
        if (arn.Split(fields, ':') != 6 || !arn[fields[0]].SequenceEqual("arn") || !arn[fields[2]].SequenceEqual("sts"))
        {
            return null;
        }

        ReadOnlySpan<char> resource = arn[fields[5]];
        Span<Range> path = stackalloc Range[4];
        if (!resource.StartsWith("assumed-role/", StringComparison.Ordinal) || resource.Split(path, '/') != 3)
        {
            return null;
        }

        ReadOnlySpan<char> role = resource[path[1]];
        return role.Length > 0 && resource[path[2]].Length > 0 ? role.ToString() : null;
    }

    /// <summary>Whether <paramref name="arn"/> is the IAM role <paramref name="roleName"/> of <paramref name="account"/> (any path).</summary>
    public static bool IsRole(string arn, string account, string roleName)
    {
        ArgumentNullException.ThrowIfNull(arn);
        ReadOnlySpan<char> text = arn;
        Span<Range> fields = stackalloc Range[6];
        if (text.Split(fields, ':') != 6 || !text[fields[0]].SequenceEqual("arn") || !text[fields[2]].SequenceEqual("iam") || !text[fields[4]].SequenceEqual(account))
        {
            return false;
        }

        ReadOnlySpan<char> resource = text[fields[5]];
        return resource.StartsWith("role/", StringComparison.Ordinal) && resource[(resource.LastIndexOf('/') + 1)..].SequenceEqual(roleName);
    }

    /// <summary>The account of a resource ARN (its fifth field), or null when it has none (an S3 bucket).</summary>
    public static string? AccountOfResource(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        return AccountSpan(arn, out Range account) ? arn[account] : null;
    }

    /// <summary>Whether <paramref name="principal"/> is <c>arn:PARTITION:iam::ACCOUNT:root</c> for <paramref name="account"/>.</summary>
    internal static bool IsAccountRoot(string principal, string account) =>
        principal.EndsWith(":root", StringComparison.Ordinal)
        && principal.AsSpan(0, principal.Length - ":root".Length).EndsWith(account, StringComparison.Ordinal)
        && principal.AsSpan(0, principal.Length - ":root".Length - account.Length).EndsWith("::", StringComparison.Ordinal);

    /// <summary>The account of an IAM or STS ARN (<c>arn:aws:iam::ACCOUNT:…</c>), or null.</summary>
    public static string? AccountOf(string principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return AccountSpan(principal, out Range account) ? principal[account] : null;
    }

    /// <summary>Finds the account field of <c>arn:PARTITION:SERVICE:REGION:ACCOUNT:…</c> without allocating.</summary>
    internal static bool AccountSpan(string arn, out Range account)
    {
        account = default;
        ReadOnlySpan<char> rest = arn;
        Span<Range> fields = stackalloc Range[6];
        if (rest.Split(fields, ':') != 6 || !rest[fields[0]].SequenceEqual("arn"))
        {
            return false;
        }

        ReadOnlySpan<char> id = rest[fields[4]];
        if (id.Length != 12 || id.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        account = fields[4];
        return true;
    }
}
