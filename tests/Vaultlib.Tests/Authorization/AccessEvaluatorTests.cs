using Vaultlib.Authorization;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Authorization;

/// <summary>The public evaluator across identity and resource policies, for any service.</summary>
public sealed class AccessEvaluatorTests
{
    private const string Bucket = """
        {"Version":"2012-10-17","Statement":[
          {"Sid":"AllowGetOverTls","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
          {"Sid":"DenyPlainHttp","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::reports","arn:aws:s3:::reports/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
        """;

    private static AccessDecision Evaluate(string principal, string action, string resource, string? resourcePolicy, string[] identityPolicies, bool resourcePolicyRequired = false, string? resourceAccount = null, Dictionary<string, IReadOnlyList<string>>? context = null) =>
        AccessEvaluator.Evaluate(new AccessRequest
        {
            Caller = new CallerIdentity { Principal = principal },
            Action = action,
            Resource = resource,
            ResourceAccount = resourceAccount,
            ResourcePolicy = resourcePolicy is null ? null : PolicyDocument.Parse(resourcePolicy),
            IdentityPolicies = [.. identityPolicies.Select(PolicyDocument.Parse)],
            ResourcePolicyRequired = resourcePolicyRequired,
            Context = context ?? [],
        });

    [Fact]
    public void The_notes_bucket_policy_refuses_requests_without_TLS()
    {
        (bool, bool, string?)[] rows =
        [
            (true, true, null),
            (false, false, "resource-based"),
        ];
        foreach ((bool tls, bool allowed, string? deniedBy) in rows)
        {
            TheoryRows.Run(() => The_notes_bucket_policy_refuses_requests_without_TLSCase(tls, allowed, deniedBy), tls, allowed, deniedBy);
        }
    }

    private static void The_notes_bucket_policy_refuses_requests_without_TLSCase(bool tls, bool allowed, string? deniedBy)
    {
        AccessDecision decision = Evaluate("arn:aws:iam::111122223333:user/reader", "s3:GetObject", "arn:aws:s3:::reports/q3.pdf", Bucket, [], resourceAccount: "111122223333",
            context: new() { ["aws:SecureTransport"] = [tls ? "true" : "false"] });
        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(!tls, decision.IsExplicitDeny);
        Assert.Equal(deniedBy, decision.DeniedBy);
        Assert.Equal(tls ? "AllowGetOverTls" : "DenyPlainHttp", Assert.Single(decision.Resource!.DecidingStatements).Sid);
    }

    private const string AllowSecret = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}}""";
    private const string Secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf";
    private const string RoleA = "arn:aws:iam::111122223333:role/a";
    private const string Partner = "arn:aws:iam::444455556666:role/partner";

    [Theory]
    // same account: identity alone allows unless the service requires its resource policy
    [InlineData(RoleA, null, new[] { AllowSecret }, false, true)]
    [InlineData(RoleA, null, new[] { AllowSecret }, true, false)]
    [InlineData(RoleA, null, new string[0], false, false)]
    // same account: a resource policy naming the caller allows on its own
    [InlineData(RoleA, """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/a"},"Action":"*","Resource":"*"}}""", new string[0], true, true)]
    // same account: one naming the account delegates to identity policies
    [InlineData(RoleA, """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}}""", new string[0], true, false)]
    [InlineData(RoleA, """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}}""", new[] { AllowSecret }, true, true)]
    // the account root passes the delegation
    [InlineData("arn:aws:iam::111122223333:root", """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}}""", new string[0], true, true)]
    // an explicit deny anywhere wins
    [InlineData(RoleA, """{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""", new[] { AllowSecret }, false, false)]
    // across accounts both sides must allow
    [InlineData(Partner, """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"}}""", new string[0], false, false)]
    [InlineData(Partner, """{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"}}""", new[] { AllowSecret }, false, true)]
    [InlineData(Partner, null, new[] { AllowSecret }, false, false)]
    public void Same_and_cross_account_rules(string principal, string? resourcePolicy, string[] identity, bool required, bool allowed) =>
        Assert.Equal(allowed, Evaluate(principal, "secretsmanager:GetSecretValue", Secret, resourcePolicy, identity, required).IsAllowed);

    private const string AllowAll = """{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}""";
    private const string DenyAll = """{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}""";
    private const string DenySecret = """{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"secretsmanager:*","Resource":"*"}}""";
    private const string Delegate = """{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}}""";
    private const string PartnerDelegate = """{"Statement":{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"*","Resource":"*"}}""";

    [Fact]
    public void Decisions_say_whether_a_deny_was_explicit_and_which_side_refused()
    {
        (string, string?, string[], bool, bool, bool, string?)[] rows =
        [
            (RoleA, null, new[] { DenySecret }, false, false, true, "identity-based"),
            (RoleA, DenyAll, new[] { AllowSecret }, false, false, true, "resource-based"),
            (RoleA, DenyAll, new[] { DenySecret }, false, false, true, "identity-based"),          // the identity side is named first
            (RoleA, null, Array.Empty<string>(), false, false, false, "identity-based"),
            (RoleA, null, new[] { AllowSecret }, false, true, false, null),                       // an identity policy alone, within the account
            (RoleA, null, new[] { AllowSecret }, true, false, false, "resource-based"),           // KMS: the key policy must allow
            (RoleA, Delegate, Array.Empty<string>(), true, false, false, "identity-based"),               // delegated, and no identity policy allows
            (RoleA, Delegate, new[] { AllowSecret }, true, true, false, null),
            (RoleA, AllowAll, Array.Empty<string>(), true, true, false, null),
            (Partner, PartnerDelegate, Array.Empty<string>(), false, false, false, "identity-based"),     // across accounts: the caller's side refused
            (Partner, null, new[] { AllowSecret }, false, false, false, "resource-based"),
            (Partner, Delegate, new[] { AllowSecret }, false, false, false, "resource-based"),    // a policy for another account
            (Partner, PartnerDelegate, new[] { AllowSecret }, false, true, false, null),
        ];
        foreach ((string principal, string? resourcePolicy, string[] identity, bool required, bool allowed, bool explicitDeny, string? deniedBy) in rows)
        {
            TheoryRows.Run(() => Decisions_say_whether_a_deny_was_explicit_and_which_side_refusedCase(principal, resourcePolicy, identity, required, allowed, explicitDeny, deniedBy), principal, resourcePolicy, identity, required, allowed, explicitDeny, deniedBy);
        }
    }

    private static void Decisions_say_whether_a_deny_was_explicit_and_which_side_refusedCase(string principal, string? resourcePolicy, string[] identity, bool required, bool allowed, bool explicitDeny, string? deniedBy)
    {
        AccessDecision decision = Evaluate(principal, "secretsmanager:GetSecretValue", Secret, resourcePolicy, identity, required);
        Assert.Equal((allowed, explicitDeny, deniedBy), (decision.IsAllowed, decision.IsExplicitDeny, decision.DeniedBy));
        Assert.Equal(resourcePolicy is null, decision.Resource is null);
    }

    [Fact]
    public void The_resource_account_given_overrides_the_ARN_and_callers_without_an_account_are_local()
    {
        // The ARN says 111122223333; the request says the resource is the partner's: a cross-account call for role a.
        Assert.False(Evaluate(RoleA, "secretsmanager:GetSecretValue", Secret, null, [AllowSecret], resourceAccount: "444455556666").IsAllowed);
        Assert.True(Evaluate(Partner, "secretsmanager:GetSecretValue", Secret, null, [AllowSecret], resourceAccount: "444455556666").IsAllowed);

        // A service principal has no account: its identity policies decide, as within one account.
        Assert.True(Evaluate("ssm.amazonaws.com", "secretsmanager:GetSecretValue", Secret, null, [AllowSecret]).IsAllowed);
        // A resource without an account in its ARN (an S3 bucket) is local to every caller.
        Assert.True(Evaluate(Partner, "s3:GetObject", "arn:aws:s3:::reports/q3.pdf", null, ["""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"""]).IsAllowed);
    }

    [Fact]
    public void A_resource_policy_naming_the_caller_among_other_principals_or_its_role_allows_directly()
    {
        const string named = """{"Statement":{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com","AWS":["arn:aws:iam::111122223333:role/other","arn:aws:iam::111122223333:role/a"]},"Action":"*","Resource":"*"}}""";
        Assert.True(Evaluate(RoleA, "secretsmanager:GetSecretValue", Secret, named, [], resourcePolicyRequired: true).IsAllowed);

        const string session = "arn:aws:sts::111122223333:assumed-role/a/build-42";
        Assert.True(Evaluate(session, "secretsmanager:GetSecretValue", Secret, named, [], resourcePolicyRequired: true).IsAllowed);
        Assert.False(Evaluate("arn:aws:sts::111122223333:assumed-role/b/build-42", "secretsmanager:GetSecretValue", Secret, named, [], resourcePolicyRequired: true).IsAllowed);
        Assert.Throws<ArgumentNullException>(() => AccessEvaluator.Evaluate(null!));
    }
}
