using Vaultlib.Authorization;

namespace Vaultlib.Tests.Authorization;

public sealed class PolicyEvaluatorTests
{
    private const string Role = "arn:aws:iam::111122223333:role/app";
    private const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static PolicyDocument Policy(string statements) => PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""");

    private static PolicyRequest Request(string action = "kms:Encrypt", string principal = Role, string resource = Key, params (string Key, string[] Values)[] context) => new()
    {
        Principal = principal,
        Action = action,
        Resource = resource,
        Context = context.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Values),
    };

    private static PolicyDecisionType Decide(string statements, PolicyRequest request) => PolicyEvaluator.Evaluate([Policy(statements)], request).Decision;

    [Fact]
    public void An_explicit_deny_beats_an_allow_and_nothing_is_an_implicit_deny()
    {
        const string allow = """{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"kms:*","Resource":"*"}""";
        const string deny = """{"Sid":"D","Effect":"Deny","Principal":"*","Action":"kms:Encrypt","Resource":"*"}""";

        PolicyDecision both = PolicyEvaluator.Evaluate([Policy($"{allow},{deny}")], Request());
        Assert.Equal(PolicyDecisionType.ExplicitDeny, both.Decision);
        Assert.Equal("D", Assert.Single(both.DecidingStatements).Sid);
        PolicyDecision allowed = PolicyEvaluator.Evaluate([Policy(allow)], Request());
        Assert.True(allowed.IsAllowed);
        Assert.Equal("A", Assert.Single(allowed.DecidingStatements).Sid);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Decide(allow, Request(principal: "arn:aws:iam::444455556666:role/other")));
    }

    [Theory]
    [InlineData("kms:*", "kms:Decrypt", true)]
    [InlineData("kms:Gen*", "kms:GenerateDataKey", true)]
    [InlineData("kms:generatedatakey", "kms:GenerateDataKey", true)] // actions are case-insensitive
    [InlineData("kms:Encrypt", "kms:Decrypt", false)]
    [InlineData("*", "s3:GetObject", true)]
    [InlineData("kms:?ecrypt", "kms:Decrypt", true)]
    public void Actions_match_with_wildcards(string pattern, string action, bool match) =>
        Assert.Equal(match, Decide($$"""{"Effect":"Allow","Principal":"*","Action":"{{pattern}}","Resource":"*"}""", Request(action)) == PolicyDecisionType.Allow);

    [Fact]
    public void NotAction_NotResource_and_NotPrincipal_match_everything_else()
    {
        Assert.Equal(PolicyDecisionType.Allow, Decide("""{"Effect":"Allow","Principal":"*","NotAction":"kms:ScheduleKeyDeletion","Resource":"*"}""", Request("kms:Encrypt")));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Decide("""{"Effect":"Allow","Principal":"*","NotAction":"kms:ScheduleKeyDeletion","Resource":"*"}""", Request("kms:ScheduleKeyDeletion")));
        Assert.Equal(PolicyDecisionType.Allow, Decide("""{"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:kms:*:*:key/other"}""", Request()));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Decide("""{"Effect":"Allow","Principal":"*","Action":"*","NotResource":"arn:aws:kms:us-east-1:111122223333:key/*"}""", Request()));
        const string denyAllButAdmin = """{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"kms:*","Resource":"*"}""";
        Assert.Equal(PolicyDecisionType.ExplicitDeny, Decide(denyAllButAdmin, Request()));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Decide(denyAllButAdmin, Request(principal: "arn:aws:iam::111122223333:role/admin")));
    }

    [Theory]
    [InlineData("\"*\"", Role, true)]
    [InlineData("{\"AWS\":\"*\"}", Role, true)]
    [InlineData("{\"AWS\":\"111122223333\"}", Role, true)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:root\"}", Role, true)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:root\"}", "arn:aws:iam::444455556666:role/app", false)]
    [InlineData("{\"AWS\":[\"arn:aws:iam::111122223333:role/other\",\"arn:aws:iam::111122223333:role/app\"]}", Role, true)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/other\"}", Role, false)]
    [InlineData("{\"Service\":\"ssm.amazonaws.com\"}", "ssm.amazonaws.com", true)]
    [InlineData("{\"Service\":\"ssm.amazonaws.com\"}", Role, false)]
    public void Principals_match_accounts_roots_roles_and_services(string principal, string caller, bool match) =>
        Assert.Equal(match, Decide($$"""{"Effect":"Allow","Principal":{{principal}},"Action":"kms:Encrypt","Resource":"*"}""", Request(principal: caller)) == PolicyDecisionType.Allow);

    public static TheoryData<string, string, string[]?, bool> Conditions() => new()
    {
        // operator, policy value(s) as JSON, request values (null: key absent), expected
        { "StringEquals", "\"acme\"", ["acme"], true },
        { "StringEquals", "\"acme\"", ["ACME"], false },
        { "StringEquals", "[\"a\",\"acme\"]", ["acme"], true },
        { "StringEquals", "\"acme\"", null, false },
        { "StringNotEquals", "\"acme\"", ["other"], true },
        { "StringNotEquals", "\"acme\"", ["acme"], false },
        { "StringNotEquals", "\"acme\"", null, true },
        { "StringEqualsIgnoreCase", "\"acme\"", ["ACME"], true },
        { "StringNotEqualsIgnoreCase", "\"acme\"", ["ACME"], false },
        { "StringLike", "\"ac*\"", ["acme"], true },
        { "StringLike", "\"a?me\"", ["acme"], true },
        { "StringLike", "\"b*\"", ["acme"], false },
        { "StringNotLike", "\"b*\"", ["acme"], true },
        { "NumericEquals", "\"10\"", ["10.0"], true },
        { "NumericNotEquals", "\"10\"", ["11"], true },
        { "NumericLessThan", "\"10\"", ["9"], true },
        { "NumericLessThan", "\"10\"", ["10"], false },
        { "NumericLessThanEquals", "\"10\"", ["10"], true },
        { "NumericGreaterThan", "\"10\"", ["11"], true },
        { "NumericGreaterThanEquals", "\"10\"", ["9"], false },
        { "NumericEquals", "\"10\"", ["ten"], false },
        { "DateLessThan", "\"2026-06-01T00:00:00Z\"", ["2026-01-01T00:00:00Z"], true },
        { "DateGreaterThan", "\"2026-06-01T00:00:00Z\"", ["2026-01-01T00:00:00Z"], false },
        { "DateEquals", "\"1767225600\"", ["2026-01-01T00:00:00Z"], true },
        { "DateNotEquals", "\"2026-01-01T00:00:00Z\"", ["2026-01-02T00:00:00Z"], true },
        { "DateLessThanEquals", "\"2026-01-01T00:00:00Z\"", ["2026-01-01T00:00:00Z"], true },
        { "DateGreaterThanEquals", "\"2026-01-01T00:00:00Z\"", ["2025-12-31T23:59:59Z"], false },
        { "Bool", "\"true\"", ["true"], true },
        { "Bool", "\"false\"", ["true"], false },
        { "IpAddress", "\"203.0.113.0/24\"", ["203.0.113.9"], true },
        { "IpAddress", "\"203.0.113.0/24\"", ["198.51.100.1"], false },
        { "IpAddress", "\"2001:db8::/32\"", ["2001:db8::1"], true },
        { "NotIpAddress", "\"203.0.113.0/24\"", ["198.51.100.1"], true },
        { "ArnEquals", "\"arn:aws:iam::111122223333:role/app\"", ["arn:aws:iam::111122223333:role/app"], true },
        { "ArnLike", "\"arn:aws:iam::*:role/app*\"", ["arn:aws:iam::111122223333:role/app-2"], true },
        { "ArnLike", "\"arn:aws:iam::*:role/app\"", ["arn:aws:iam::111122223333:user/app"], false },
        { "ArnNotEquals", "\"arn:aws:iam::111122223333:role/app\"", ["arn:aws:iam::111122223333:role/x"], true },
        { "ArnNotLike", "\"arn:aws:iam::*:role/*\"", ["arn:aws:iam::111122223333:role/x"], false },
        { "Null", "\"true\"", null, true },
        { "Null", "\"true\"", ["x"], false },
        { "Null", "\"false\"", ["x"], true },
        { "StringEqualsIfExists", "\"acme\"", null, true },
        { "StringEqualsIfExists", "\"acme\"", ["other"], false },
        { "NumericLessThanIfExists", "\"5\"", null, true },
        { "ForAnyValue:StringEquals", "[\"a\",\"b\"]", ["b", "z"], true },
        { "ForAnyValue:StringEquals", "[\"a\",\"b\"]", ["y", "z"], false },
        { "ForAnyValue:StringEquals", "\"a\"", null, false },
        { "ForAllValues:StringEquals", "[\"a\",\"b\"]", ["a", "b"], true },
        { "ForAllValues:StringEquals", "[\"a\",\"b\"]", ["a", "z"], false },
        { "ForAllValues:StringEquals", "[\"a\",\"b\"]", null, true },
        { "ForAllValues:StringLike", "\"tenant-*\"", ["tenant-1", "tenant-2"], true },
        { "ForAnyValue:StringNotEquals", "\"a\"", ["a", "b"], true },
        { "ForAllValues:StringNotEquals", "\"a\"", ["a", "b"], false },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Every_condition_operator_evaluates_as_IAM_does(string op, string policyValues, string[]? requestValues, bool expected)
    {
        string statement = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"" + op + "\":{\"test:Key\":" + policyValues + "}}}";
        PolicyRequest request = requestValues is null ? Request() : Request(context: ("TEST:key", requestValues)); // keys are case-insensitive
        Assert.Equal(expected, Decide(statement, request) == PolicyDecisionType.Allow);
    }

    [Fact]
    public void Conditions_are_ANDed_across_operators_and_keys_and_ORed_across_values()
    {
        const string statement = """{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"a":["1","2"],"b":"x"},"Bool":{"aws:SecureTransport":"true"}}}""";
        Assert.Equal(PolicyDecisionType.Allow, Decide(statement, Request(context: [("a", ["2"]), ("b", ["x"]), ("aws:SecureTransport", ["true"])])));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Decide(statement, Request(context: [("a", ["2"]), ("b", ["y"]), ("aws:SecureTransport", ["true"])])));
        Assert.Equal(PolicyDecisionType.ImplicitDeny, Decide(statement, Request(context: [("a", ["2"]), ("b", ["x"]), ("aws:SecureTransport", ["false"])])));
    }

    [Fact]
    public void The_S3_bucket_policy_that_forces_TLS_denies_plain_requests()
    {
        PolicyDocument bucketPolicy = PolicyDocument.Parse("""
            {
              "Version": "2012-10-17",
              "Statement": [
                { "Sid": "AllowAnonymousGetOverTls", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                  "Resource": "arn:aws:s3:::reports/*", "Condition": { "Bool": { "aws:SecureTransport": "true" } } },
                { "Sid": "DenyPlainHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                  "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"], "Condition": { "Bool": { "aws:SecureTransport": "false" } } }
              ]
            }
            """);
        PolicyRequest Get(bool tls) => Request("s3:GetObject", "arn:aws:iam::444455556666:user/anyone", "arn:aws:s3:::reports/2026.pdf", ("aws:SecureTransport", [tls ? "true" : "false"]));

        PolicyDecision overTls = PolicyEvaluator.Evaluate([bucketPolicy], Get(tls: true));
        Assert.True(overTls.IsAllowed);
        Assert.Equal("AllowAnonymousGetOverTls", Assert.Single(overTls.DecidingStatements).Sid);
        PolicyDecision plain = PolicyEvaluator.Evaluate([bucketPolicy], Get(tls: false));
        Assert.Equal(PolicyDecisionType.ExplicitDeny, plain.Decision);
        Assert.Equal("DenyPlainHttp", Assert.Single(plain.DecidingStatements).Sid);
    }

    [Theory]
    [InlineData("not json", "")]
    [InlineData("[]", "")]
    [InlineData("{\"Version\":\"2012-10-17\"}", "")]
    [InlineData("{\"Version\":\"2020-01-01\",\"Statement\":[]}", "Version")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Maybe\",\"Action\":\"*\"}]}", "Statement[0].Effect")]
    [InlineData("{\"Statement\":[{\"Action\":\"*\"}]}", "Statement[0]")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\"}]}", "Statement[0]")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"NotAction\":\"*\"}]}", "Statement[0]")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Encrypt\"}]}", "Statement[0].Action[0]")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Principal\":\"someone\"}]}", "Statement[0].Principal")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Principal\":{\"AWS\":\"bob\"}}]}", "Statement[0].Principal.AWS[0]")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Principal\":{\"AWS\":\"arn:aws:iam::*:root\"}}]}", "Statement[0].Principal.AWS[0]")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Condition\":{\"StringEqualz\":{\"k\":\"v\"}}}]}", "Statement[0].Condition.StringEqualz")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Condition\":{\"NumericLessThan\":{\"k\":\"ten\"}}}]}", "Statement[0].Condition.NumericLessThan.k")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"999.1.1.1/8\"}}}]}", "Statement[0].Condition.IpAddress.aws:SourceIp")]
    [InlineData("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Colour\":\"red\"}]}", "Statement[0].Colour")]
    [InlineData("{\"Statement\":[{\"Sid\":\"x\",\"Effect\":\"Allow\",\"Action\":\"*\"},{\"Sid\":\"x\",\"Effect\":\"Deny\",\"Action\":\"*\"}]}", "Statement[1].Sid")]
    public void Malformed_documents_name_the_place_at_fault(string json, string location)
    {
        var ex = Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(json));
        Assert.Equal(location, ex.Location);
        Assert.Equal("MalformedPolicyDocument", ex.ErrorCode);
        if (location.Length > 0)
        {
            Assert.StartsWith(location + ":", ex.Message, StringComparison.Ordinal);
        }
    }
}
