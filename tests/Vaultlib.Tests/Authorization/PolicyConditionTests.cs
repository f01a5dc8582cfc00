using Vaultlib.Authorization;

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

    [Theory]
    [InlineData("DateEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true)]
    [InlineData("DateNotEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false)]
    [InlineData("DateLessThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false)]
    [InlineData("DateLessThan", "2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z", true)]
    [InlineData("DateLessThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true)]
    [InlineData("DateLessThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", false)]
    [InlineData("DateGreaterThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", false)]
    [InlineData("DateGreaterThan", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", true)]
    [InlineData("DateGreaterThanEquals", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", true)]
    [InlineData("DateGreaterThanEquals", "2026-01-01T00:00:00Z", "2025-12-31T23:59:59Z", false)]
    [InlineData("DateEquals", "1767225600", "2026-01-01T00:00:00Z", true)]   // epoch seconds
    [InlineData("DateEquals", "2026-01-01T00:00:00Z", "1767225600", true)]
    [InlineData("DateEquals", "2026-01-01T02:00:00+02:00", "2026-01-01T00:00:00Z", true)] // offsets are instants
    [InlineData("DateLessThan", "2026-01-01T00:00:00+02:00", "2025-12-31T23:00:00Z", false)]
    [InlineData("DateLessThan", "2026-01-01T00:00:00+02:00", "2025-12-31T21:59:59Z", true)]
    [InlineData("DateGreaterThan", "2026-01-01T00:00:00-05:00", "2026-01-01T04:00:00Z", false)]
    [InlineData("DateGreaterThan", "2026-01-01T00:00:00-05:00", "2026-01-01T05:00:01Z", true)]
    [InlineData("DateEquals", "2026-01-01T00:00:00Z", "not a date", false)]
    [InlineData("DateNotEquals", "2026-01-01T00:00:00Z", "not a date", true)]
    public void Date_operators_compare_instants(string op, string policy, string request, bool holds) =>
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
    [InlineData("StringEqualsIgnoreCase", "abc", "ABC", true)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", "ABC", false)]
    [InlineData("StringNotEqualsIgnoreCase", "abc", "abd", true)]
    [InlineData("Bool", "true", "TRUE", true)]
    [InlineData("Bool", "true", "false", false)]
    [InlineData("BinaryEquals", "QUJD", "QUJD", true)]
    [InlineData("BinaryEquals", "QUJD", "qujd", false)]
    public void String_operators(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Theory]
    [InlineData("ArnEquals", "arn:aws:kms:us-east-1:111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:key/abc", true)]
    [InlineData("ArnNotEquals", "arn:aws:kms:us-east-1:111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:key/abc", false)]
    [InlineData("ArnNotEquals", "arn:aws:kms:us-east-1:111122223333:key/abc", "arn:aws:kms:us-east-1:111122223333:key/abd", true)]
    [InlineData("ArnLike", "arn:aws:kms:*:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true)]
    [InlineData("ArnLike", "arn:aws:kms:*:111122223333:key/ABC", "arn:aws:kms:eu-west-1:111122223333:key/abc", false)] // case-sensitive
    [InlineData("ArnLike", "arn:aws:KMS:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false)]
    [InlineData("ArnLike", "arn:aws:kms:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true)]
    [InlineData("ArnLike", "arn:aws:kms:us-*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false)]
    [InlineData("ArnLike", "arn:aws:*:*:*:*", "arn:aws:kms:eu-west-1", false)] // an ARN of four parts is no match for six
    [InlineData("ArnLike", "arn:aws:kms:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true)] // a pattern of four parts is a plain wildcard
    [InlineData("ArnLike", "arn:aws:kms:*", "arn:aws:kms", false)]
    [InlineData("ArnLike", "*", "not-an-arn", true)]
    [InlineData("ArnNotLike", "arn:aws:kms:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", false)]
    [InlineData("ArnNotLike", "arn:aws:s3:*:*:*", "arn:aws:kms:eu-west-1:111122223333:key/abc", true)]
    [InlineData("ArnLike", "arn:aws:kms:eu-west-1:111122223333:key/*", "arn:aws:kms:eu-west-1:111122223333:key/a:b", true)] // the sixth part keeps its colons
    public void ARN_operators_compare_part_by_part(string op, string policy, string request, bool holds) =>
        Assert.Equal(holds, Holds(op, $"\"{policy}\"", request));

    [Theory]
    [InlineData("IpAddress", "203.0.113.5", "203.0.113.5", true)]        // no prefix length: the one address
    [InlineData("IpAddress", "203.0.113.5", "203.0.113.6", false)]
    [InlineData("IpAddress", "203.0.113.0/24", "203.0.113.255", true)]
    [InlineData("IpAddress", "203.0.113.0/24", "203.0.114.0", false)]
    [InlineData("IpAddress", "2001:db8::1", "2001:db8::1", true)]
    [InlineData("IpAddress", "2001:db8::1", "2001:db8::2", false)]
    [InlineData("IpAddress", "2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("IpAddress", "203.0.113.0/24", "not-an-ip", false)]
    [InlineData("NotIpAddress", "203.0.113.0/24", "203.0.113.7", false)]
    [InlineData("NotIpAddress", "203.0.113.0/24", "198.51.100.7", true)]
    public void IP_operators(string op, string policy, string request, bool holds) =>
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

    [Theory]
    [InlineData("""{"IfExists":{"k":"v"}}""")]
    [InlineData("""{"NullIfExists":{"k":"true"}}""")]
    [InlineData("""{"StringEqual":{"k":"v"}}""")]
    [InlineData("""{"ForAnyValue:":{"k":"v"}}""")]
    [InlineData("""{"forallvalues:StringEquals":{"k":"v"}}""")]
    [InlineData("""{"StringEquals":"v"}""")]
    [InlineData("""["StringEquals"]""")]
    [InlineData("""{"Bool":{"k":"yes"}}""")]
    [InlineData("""{"Null":{"k":"1"}}""")]
    [InlineData("""{"NumericEquals":{"k":"five"}}""")]
    [InlineData("""{"DateEquals":{"k":"yesterday"}}""")]
    [InlineData("""{"IpAddress":{"k":"203.0.113.0/33"}}""")]
    [InlineData("""{"IpAddress":{"k":"203.0.113"}}""")]      // IPAddress.TryParse reads this as 203.0.0.113; IAM does not
    [InlineData("""{"IpAddress":{"k":"203.0.113/24"}}""")]
    [InlineData("""{"IpAddress":{"k":"0x7f.0.0.1"}}""")]
    [InlineData("""{"NotIpAddress":{"k":"nope"}}""")]
    public void Malformed_conditions_are_refused_when_the_policy_is_parsed(string block) =>
        Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{{block}}}]}"""));

    [Theory]
    [InlineData("""{"Bool":{"k":"True"}}""")]
    [InlineData("""{"Null":{"k":"False"}}""")]
    [InlineData("""{"IpAddress":{"k":"203.0.113.1"}}""")]
    [InlineData("""{"IpAddress":{"k":"2001:db8::/32"}}""")]
    [InlineData("""{"IpAddress":{"k":"2001:db8::1"}}""")]
    [InlineData("""{"NotIpAddress":{"k":"203.0.113.0/24"}}""")]
    [InlineData("""{"NumericLessThan":{"k":"-1.5e3"}}""")]
    [InlineData("""{"DateLessThan":{"k":"1767225600"}}""")]
    [InlineData("""{"StringEqualsIfExists":{"k":"v"}}""")]
    public void Well_formed_conditions_parse(string block) =>
        Assert.Single(PolicyDocument.Parse($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{{block}}}]}""").Statements[0].Conditions);
}
