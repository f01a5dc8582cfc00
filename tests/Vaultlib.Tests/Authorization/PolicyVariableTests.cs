using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Authorization;

/// <summary>
/// IAM policy variables in Resource and in string and ARN condition values: substituted from the
/// request only under "Version": "2012-10-17", with defaults; a variable with no value matches nothing.
/// </summary>
public sealed class PolicyVariableTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> s_context = new(StringComparer.OrdinalIgnoreCase)
    {
        ["aws:username"] = ["alice"],
        ["aws:PrincipalTag/team"] = ["payments"],
        ["aws:userid"] = ["AIDAEXAMPLE"],
        ["kms:EncryptionContext:owner"] = ["alice"],
        ["kms:EncryptionContextKeys"] = ["owner", "team"],
    };

    private static bool Allowed(string version, string resource, string? condition, string requestResource = "arn:aws:kms:us-east-1:111122223333:key/alice")
    {
        string versionMember = version.Length == 0 ? "" : $"\"Version\":\"{version}\",";
        string conditionMember = condition is null ? "" : $",\"Condition\":{condition}";
        PolicyDocument policy = PolicyDocument.Parse("{" + versionMember + "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"kms:Encrypt\",\"Resource\":\"" + resource + "\"" + conditionMember + "}}");
        return PolicyEvaluator.Evaluate([policy], new PolicyRequest { Principal = "arn:aws:iam::111122223333:user/alice", Action = "kms:Encrypt", Resource = requestResource, Context = s_context }).IsAllowed;
    }

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${aws:username}", true)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${aws:PrincipalTag/team}", false)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${aws:PrincipalTag/missing, 'alice'}", true)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${aws:PrincipalTag/missing}", false)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${aws:username, 'bob'}", true)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${kms:EncryptionContextKeys}", false)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/ali${*}", false)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/alic${?}", false)]
    public void Resource_variables_are_substituted_under_2012_10_17(string resource, bool allowed) =>
        Assert.Equal(allowed, Allowed("2012-10-17", resource, null));

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/ali${*}", "arn:aws:kms:us-east-1:111122223333:key/ali*", true)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/a${?}c", "arn:aws:kms:us-east-1:111122223333:key/a?c", true)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/a${?}c", "arn:aws:kms:us-east-1:111122223333:key/abc", false)]
    [InlineData("arn:aws:kms:us-east-1:111122223333:key/${$}x*", "arn:aws:kms:us-east-1:111122223333:key/$xyz", true)]
    public void The_escapes_stand_for_literal_characters_not_wildcards(string resource, string requestResource, bool allowed) =>
        Assert.Equal(allowed, Allowed("2012-10-17", resource, null, requestResource));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("pre-${aws:username}-post", "pre-alice-post")]
    [InlineData("${aws:username}/${aws:userid}/end", "alice/AIDAEXAMPLE/end")]
    [InlineData("${ aws:username }", "alice")]
    [InlineData("a${*}b${?}c${$}d", "a*b?c$d")]
    [InlineData("open ${aws:username", "open ${aws:username")]
    [InlineData("${aws:username} then ${unclosed", "alice then ${unclosed")]
    [InlineData("${missing, 'x'}", "x")]
    [InlineData("${missing,'x, y'}", "x, y")]
    [InlineData("${missing, ''}", "")]
    [InlineData("${ , 'no key'}", "no key")]
    [InlineData("${missing, 'x}", null)]
    [InlineData("${missing, x'}", null)]
    [InlineData("${missing, '}", null)]
    [InlineData("${aws:username, 'bob'}", "alice")]
    [InlineData("${missing}", null)]
    [InlineData("${kms:EncryptionContextKeys, 'd'}", "d")]
    public void Substitute_replaces_each_variable_and_keeps_the_rest_as_written(string template, string? expected) =>
        Assert.Equal(expected, PolicyVariables.Substitute(template, s_context, wildcardPattern: false));

    [Fact]
    public void In_a_wildcard_pattern_the_escapes_become_markers_that_only_match_the_literal_characters()
    {
        string pattern = PolicyVariables.Substitute("a${*}b${?}", s_context, wildcardPattern: true)!;
        Assert.Equal($"a{PolicyVariables.LiteralStar}b{PolicyVariables.LiteralQuestionMark}", pattern);
        Assert.True(PolicyCondition.Glob(pattern, "a*b?", ignoreCase: false));
        Assert.False(PolicyCondition.Glob(pattern, "axbx", ignoreCase: false));
        Assert.False(PolicyCondition.Glob(pattern, "a*b", ignoreCase: false));
    }

    [Theory]
    [InlineData("2008-10-17")]
    [InlineData("")]
    public void Without_the_2012_10_17_version_a_variable_is_literal_text(string version)
    {
        Assert.False(Allowed(version, "arn:aws:kms:us-east-1:111122223333:key/${aws:username}", null));
        Assert.True(Allowed(version, "arn:aws:kms:us-east-1:111122223333:key/${aws:username}", null, "arn:aws:kms:us-east-1:111122223333:key/${aws:username}"));
    }

    [Theory]
    [InlineData("""{"StringEquals":{"kms:EncryptionContext:owner":"${aws:username}"}}""", true)]
    [InlineData("""{"StringEquals":{"kms:EncryptionContext:owner":"${aws:PrincipalTag/team}"}}""", false)]
    [InlineData("""{"StringLike":{"kms:EncryptionContext:owner":"${aws:username}*"}}""", true)]
    [InlineData("""{"StringLike":{"kms:EncryptionContext:owner":"ali${*}"}}""", false)]
    [InlineData("""{"StringLike":{"kms:EncryptionContext:owner":"ali${?}e"}}""", false)]
    [InlineData("""{"StringEquals":{"kms:EncryptionContext:owner":"${aws:PrincipalTag/missing}"}}""", false)]
    [InlineData("""{"StringEquals":{"kms:EncryptionContext:owner":"${aws:PrincipalTag/missing, 'alice'}"}}""", true)]
    [InlineData("""{"StringNotEquals":{"kms:EncryptionContext:owner":"${aws:PrincipalTag/missing}"}}""", false)]
    [InlineData("""{"StringEquals":{"kms:EncryptionContext:owner":["${aws:PrincipalTag/missing}","alice"]}}""", true)]
    public void Condition_variables_are_substituted_and_an_unresolved_one_matches_nothing(string condition, bool allowed) =>
        Assert.Equal(allowed, Allowed("2012-10-17", "*", condition));

    [Fact]
    public async Task KMS_supplies_aws_username_and_aws_userid_from_the_caller()
    {
        using var kms = new InMemoryKeyService();
        const string Alice = "arn:aws:iam::111122223333:user/alice";
        kms.IdentityPolicies.Set(Alice, """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:owner":"${aws:username}","aws:userid":"AIDAALICE"}}}}""");
        KeyMetadata key = await kms.CreateKeyAsync("owned");
        KeyService alice = kms.AsCaller(new CallerIdentity { Principal = Alice, UserId = "AIDAALICE" });

        await alice.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionContext = new Dictionary<string, string> { ["owner"] = "alice" } });
        await Assert.ThrowsAsync<AccessDeniedException>(() => alice.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionContext = new Dictionary<string, string> { ["owner"] = "bob" } }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => kms.AsCaller(new CallerIdentity { Principal = Alice }).EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionContext = new Dictionary<string, string> { ["owner"] = "alice" } }));
    }
}
