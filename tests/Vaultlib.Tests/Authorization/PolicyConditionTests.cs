using Vaultlib.Authorization;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Authorization;

/// <summary>
/// Condition operators and resource matching rule by rule, each at its edge and each negated form where it must be
/// false (IAM's documented semantics: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
/// </summary>
public sealed class PolicyConditionTests
{
    private const string Role = "arn:aws:iam::111122223333:role/app";
    private const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static bool Allowed(string statementTail, string resource = Key, params (string Key, string[] Values)[] context)
    {
        PolicyDocument policy = PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:Encrypt",{{statementTail}}}]}""");
        var request = new PolicyRequest
        {
            Principal = Role,
            Action = "kms:Encrypt",
            Resource = resource,
            Context = context.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Values),
        };
        return PolicyEvaluator.Evaluate([policy], request).IsAllowed;
    }

    /// <summary>Whether <c>{"op": {"k": policyValues}}</c> holds for a request with <c>k</c> = <paramref name="requestValues"/> (absent when null).</summary>
    private static bool Holds(string op, string policyValues, params string[]? requestValues) =>
        Allowed($$$"""
            "Resource":"*","Condition":{"{{{op}}}":{"k":{{{policyValues}}}}}
            """, Key, requestValues is null ? [] : [("k", requestValues)]);

    [Fact]
    public void A_statement_applies_only_to_the_resources_it_names()
    {
        Assert.True(Allowed($"\"Resource\":\"{Key}\""));
        Assert.False(Allowed("\"Resource\":\"arn:aws:kms:us-east-1:111122223333:key/other\""));
        Assert.False(Allowed("\"Resource\":[\"arn:aws:kms:us-east-1:111122223333:key/a\",\"arn:aws:kms:us-east-1:111122223333:key/b\"]"));
        Assert.True(Allowed($"\"Resource\":[\"arn:aws:kms:us-east-1:111122223333:key/a\",\"{Key}\"]"));
        Assert.False(Allowed($"\"NotResource\":\"{Key}\""));
        Assert.True(Allowed("\"NotResource\":\"arn:aws:kms:us-east-1:111122223333:key/other\""));
    }

    [Fact]
    public void Unqualified_operators_against_multi_valued_keys_need_any_value_and_negated_ones_no_value()
    {
        Assert.True(Holds("StringEquals", "\"b\"", "a", "b"));
        Assert.False(Holds("StringEquals", "\"c\"", "a", "b"));
        Assert.False(Holds("StringNotEquals", "\"b\"", "a", "b"));
        Assert.True(Holds("StringNotEquals", "\"c\"", "a", "b"));
        Assert.True(Holds("ForAnyValue:StringEquals", "\"b\"", "a", "b"));
        Assert.False(Holds("ForAllValues:StringEquals", "\"b\"", "a", "b"));
        Assert.True(Holds("ForAllValues:StringEquals", "[\"a\",\"b\"]", "a", "b"));
        Assert.True(Holds("ForAnyValue:StringNotEquals", "\"b\"", "a", "b"));
        Assert.False(Holds("ForAllValues:StringNotEquals", "\"b\"", "a", "b"));
    }

    [Fact]
    public void Absent_keys_and_keys_present_without_values()
    {
        foreach (string[]? missing in new[] { null, Array.Empty<string>() })
        {
            Assert.False(Holds("StringEquals", "\"a\"", missing));
            Assert.True(Holds("StringEqualsIfExists", "\"a\"", missing));
            Assert.True(Holds("StringNotEquals", "\"a\"", missing));     // nothing equals a
            Assert.False(Holds("ForAnyValue:StringEquals", "\"a\"", missing));
            Assert.True(Holds("ForAllValues:StringEquals", "\"a\"", missing));
            Assert.False(Holds("ForAnyValue:StringNotEquals", "\"a\"", missing));
            Assert.True(Holds("Null", "\"true\"", missing));
            Assert.False(Holds("Null", "\"false\"", missing));
            Assert.False(Holds("NumericLessThan", "\"5\"", missing));
        }

        Assert.False(Holds("Null", "\"true\"", "x"));
        Assert.True(Holds("Null", "\"false\"", "x"));
        Assert.True(Holds("Null", "\"True\"", []));
        Assert.False(Holds("StringEqualsIfExists", "\"a\"", "b"));
    }

    [Theory]
    [InlineData("NumericEquals", "5", "5", true)]
    [InlineData("NumericEquals", "5", "5.0", true)]
    [InlineData("NumericEquals", "5", "6", false)]
    [InlineData("NumericEquals", "5", "4", false)]
    [InlineData("NumericNotEquals", "5", "5", false)]
    [InlineData("NumericNotEquals", "5", "6", true)]
    [InlineData("NumericLessThan", "5", "5", false)]
    [InlineData("NumericLessThan", "5", "4.99", true)]
    [InlineData("NumericLessThanEquals", "5", "5", true)]
    [InlineData("NumericLessThanEquals", "5", "5.01", false)]
    [InlineData("NumericGreaterThan", "5", "5", false)]
    [InlineData("NumericGreaterThan", "5", "5.01", true)]
    [InlineData("NumericGreaterThanEquals", "5", "5", true)]
    [InlineData("NumericGreaterThanEquals", "5", "4.99", false)]
    [InlineData("NumericEquals", "5", "five", false)]
    [InlineData("NumericNotEquals", "5", "five", true)]
    public void Numeric_operators_at_equal_and_adjacent_values(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Fact]
    public void Date_operators_compare_instants()
    {
        (string, string, string, bool)[] rows =
        [
            ("DateEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true),
            ("DateNotEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false),
            ("DateLessThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false),
            ("DateLessThan", "2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z", true),
            ("DateLessThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true),
            ("DateLessThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", false),
            ("DateGreaterThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false),
            ("DateGreaterThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", true),
            ("DateGreaterThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true),
            ("DateGreaterThanEquals", "2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z", false),
            ("DateEquals", "1767225600", "2026-01-01T00:00:00Z", true),   // epoch seconds
            ("DateEquals", "2026-01-01T00:00:00Z", "1767225600", true),
            ("DateEquals", "2026-01-01T02:00:00+02:00", "2026-01-01T00:00:00Z", true), // offsets are instants
            ("DateLessThan", "2026-01-01T00:00:00+02:00", "2025-12-31T23:00:00Z", false),
            ("DateLessThan", "2026-01-01T00:00:00+02:00", "2025-12-31T21:59:59Z", true),
            ("DateGreaterThan", "2026-01-01T00:00:00-05:00", "2026-01-01T04:00:00Z", false),
            ("DateGreaterThan", "2026-01-01T00:00:00-05:00", "2026-01-01T05:00:01Z", true),
            ("DateEquals", "2026-01-01T00:00:00Z", "not a date", false),
            ("DateNotEquals", "2026-01-01T00:00:00Z", "not a date", true),
        ];
        foreach ((string op, string policy, string request, bool holds) in rows)
        {
            TheoryRows.Run(() => Date_operators_compare_instantsCase(op, policy, request, holds), op, policy, request, holds);
        }
    }

    private static void Date_operators_compare_instantsCase(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Theory]
    [InlineData("StringLike", "abc*", "abc", true)]      // a trailing * matches nothing
    [InlineData("StringLike", "a*c", "ac", true)]
    [InlineData("StringLike", "a**", "a", true)]
    [InlineData("StringLike", "a?c", "ac", false)]        // ? is exactly one character
    [InlineData("StringLike", "*b*", "abc", true)]
    [InlineData("StringLike", "a*b", "acbcb", true)]      // backtracking past the first b
    [InlineData("StringLike", "a*bd", "abcbd", true)]
    [InlineData("StringLike", "a*bd", "abcbe", false)]
    [InlineData("StringLike", "ABC", "abc", false)]       // case-sensitive
    [InlineData("StringLike", "", "", true)]
    [InlineData("StringLike", "", "a", false)]
    [InlineData("StringLike", "a", "", false)]
    [InlineData("StringNotLike", "a*", "abc", false)]
    [InlineData("StringNotLike", "b*", "abc", true)]
    [InlineData("StringEquals", "abc", "ABC", false)]
    [InlineData("StringEquals", "${*}", "*", true)]         // ${*} is a literal * (and not a wildcard) in every string operator
    [InlineData("StringEquals", "${*}", "x", false)]
    [InlineData("StringEqualsIgnoreCase", "abc", "ABC", true)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", "ABC", false)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", "abd", true)]
    [InlineData("Bool", "true", "TRUE", true)]
    [InlineData("Bool", "true", "false", false)]
    [InlineData("BinaryEquals", "QUJD", "QUJD", true)]
    [InlineData("BinaryEquals", "QUJD", "qujd", false)]
    public void String_operators(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Fact]
    public void ARN_operators_compare_part_by_part()
    {
        (string, string, string, bool)[] rows =
        [
            ("ArnEquals", "arn:aws:kms:us-east-1:111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:key/abc", true),
            ("ArnNotEquals", "arn:aws:kms:us-east-1:111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:key/abc", false),
            ("ArnNotEquals", "arn:aws:kms:us-east-1:111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:key/abd", true),
            ("ArnLike", "arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true),
            ("ArnLike", "arn:aws:kms:*:111122223333:key/ABC", "arn:aws:kms:eu-west-1:111122223333:key/abc", false), // case-sensitive
            ("ArnLike", "arn:aws:KMS:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false),
            ("ArnLike", "arn:aws:kms:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true),
            ("ArnLike", "arn:aws:kms:us-*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false),
            ("ArnLike", "arn:aws:*:*:*:*", "arn:aws:kms:eu-west-1", false), // an ARN of four parts is no match for six
            ("ArnLike", "arn:aws:kms:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true), // a pattern of four parts is a plain wildcard
            ("ArnLike", "arn:aws:kms:*", "arn:aws:kms", false),
            ("ArnLike", "*", "not-an-arn", true),
            ("ArnNotLike", "arn:aws:kms:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false),
            ("ArnNotLike", "arn:aws:s3:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true),
            ("ArnLike", "arn:aws:kms:eu-west-1:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/a:b", true), // the sixth part keeps its colons
        ];
        foreach ((string op, string policy, string request, bool holds) in rows)
        {
            TheoryRows.Run(() => ARN_operators_compare_part_by_partCase(op, policy, request, holds), op, policy, request, holds);
        }
    }

    private static void ARN_operators_compare_part_by_partCase(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Fact]
    public void IP_operators()
    {
        (string, string, string, bool)[] rows =
        [
            ("IpAddress", "203.0.113.5", "203.0.113.5", true),        // no prefix length: the one address
            ("IpAddress", "203.0.113.5", "203.0.113.6", false),
            ("IpAddress", "203.0.113.0/24", "203.0.113.255", true),
            ("IpAddress", "203.0.113.0/24", "203.0.114.0", false),
            ("IpAddress", "2001:db8::1", "2001:db8::1", true),
            ("IpAddress", "2001:db8::1", "2001:db8::2", false),
            ("IpAddress", "2001:db8::/32", "2001:db8:ffff::1", true),
            ("IpAddress", "203.0.113.0/24", "not-an-ip", false),
            ("NotIpAddress", "203.0.113.0/24", "203.0.113.7", false),
            ("NotIpAddress", "203.0.113.0/24", "198.51.100.7", true),
        ];
        foreach ((string op, string policy, string request, bool holds) in rows)
        {
            TheoryRows.Run(() => IP_operatorsCase(op, policy, request, holds), op, policy, request, holds);
        }
    }

    private static void IP_operatorsCase(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Fact]
    public void Condition_keys_match_case_insensitively_and_exact_names_first()
    {
        Assert.True(Allowed("""
            "Resource":"*","Condition":{"StringEquals":{"AWS:SourceAccount":"111122223333"}}
            """, Key, ("aws:sourceaccount", ["111122223333"])));
        Assert.True(Allowed("""
            "Resource":"*","Condition":{"StringEquals":{"k":"exact"}}
            """, Key, ("K", ["other"]), ("k", ["exact"])));
    }

    [Fact]
    public void Conditions_read_back_as_written()
    {
        PolicyDocument policy = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{
              "ForAnyValue:StringLikeIfExists":{"k":["a*","b"]},"Null":{"n":"true"}}}]}
            """);
        IReadOnlyList<PolicyCondition> conditions = policy.Statements[0].Conditions;
        Assert.Equal("ForAnyValue:StringLikeIfExists k [a*, b]", conditions[0].ToString());
        Assert.Equal("Null n [true]", conditions[1].ToString());
        Assert.Equal(ConditionSetQualifier.ForAnyValue, conditions[0].Qualifier);
        Assert.True(conditions[0].IfExists);
        Assert.False(conditions[1].IfExists);
    }

    [Fact]
    public void Malformed_conditions_are_refused_when_the_policy_is_parsed()
    {
        string[] rows =
        [
            """{"IfExists":{"k":"v"}}""",
            """{"NullIfExists":{"k":"true"}}""",
            """{"StringEqual":{"k":"v"}}""",
            """{"ForAnyValue:":{"k":"v"}}""",
            """{"forallvalues:StringEquals":{"k":"v"}}""",
            """{"StringEquals":"v"}""",
            """["StringEquals"]""",
            """{"Bool":{"k":"yes"}}""",
            """{"Null":{"k":"1"}}""",
            """{"NumericEquals":{"k":"five"}}""",
            """{"DateEquals":{"k":"yesterday"}}""",
            """{"IpAddress":{"k":"203.0.113.0/33"}}""",
            """{"IpAddress":{"k":"203.0.113"}}""",      // IPAddress.TryParse reads this as 203.0.0.113; IAM does not
            """{"IpAddress":{"k":"203.0.113/24"}}""",
            """{"IpAddress":{"k":"0x7f.0.0.1"}}""",
            """{"NotIpAddress":{"k":"nope"}}""",
        ];
        foreach (string block in rows)
        {
            TheoryRows.Run(() => Malformed_conditions_are_refused_when_the_policy_is_parsedCase(block), block);
        }
    }

    private static void Malformed_conditions_are_refused_when_the_policy_is_parsedCase(string block) =>
        Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{{block}}}]}"""));

    [Fact]
    public void Well_formed_conditions_parse()
    {
        string[] rows =
        [
            """{"Bool":{"k":"True"}}""",
            """{"Null":{"k":"False"}}""",
            """{"IpAddress":{"k":"203.0.113.1"}}""",
            """{"IpAddress":{"k":"2001:db8::/32"}}""",
            """{"IpAddress":{"k":"2001:db8::1"}}""",
            """{"NotIpAddress":{"k":"203.0.113.0/24"}}""",
            """{"NumericLessThan":{"k":"-1.5e3"}}""",
            """{"DateLessThan":{"k":"1767225600"}}""",
            """{"StringEqualsIfExists":{"k":"v"}}""",
        ];
        foreach (string block in rows)
        {
            TheoryRows.Run(() => Well_formed_conditions_parseCase(block), block);
        }
    }

    private static void Well_formed_conditions_parseCase(string block) =>
        Assert.Single(PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{{block}}}]}""").Statements[0].Conditions);
}
