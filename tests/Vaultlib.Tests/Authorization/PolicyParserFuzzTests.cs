using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Authorization;

/// <summary>
/// Whatever text a policy is, parsing it either succeeds or fails with the one malformed-policy
/// error: never an InvalidOperationException, ArgumentException or IndexOutOfRangeException.
/// </summary>
public sealed class PolicyParserFuzzTests
{
    private const string Valid = """{"Version":"2012-10-17","Statement":[{"Sid":"a","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*","Condition":{"StringEquals":{"kms:EncryptionContext:t":"x"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NumericLessThan":{"n":"5"}}}]}""";

    private static readonly string[] s_insertions = ["\\uD800", "\\uDC00", "\uD800", "\uDFFF", "\\u0000", "\"", "{", "}", "[", "]", ",", ":", "\\", "null", "1e999", "-", "*", "?", "$", "${", "\u0000", "😀", "\\ud83d"];

    public static Arbitrary<string> Mutations() =>
        (from position in Gen.Choose(0, Valid.Length)
         from cut in Gen.Choose(0, 8)
         from insertion in Gen.Elements(s_insertions)
         select Valid[..position] + insertion + Valid[Math.Min(Valid.Length, position + cut)..]).ToArbitrary();

    private static bool ParsesOrIsMalformed(string text)
    {
        try
        {
            PolicyDocument.Parse(text);
            return true;
        }
        catch (PolicyDocumentException)
        {
            return true;
        }
    }

    [Property(MaxTest = 2000, Arbitrary = [typeof(PolicyParserFuzzTests)])]
    public bool A_mutated_policy_parses_or_is_malformed(string mutated) => ParsesOrIsMalformed(mutated);

    [Property(MaxTest = 500)]
    public bool Any_string_parses_or_is_malformed(NonNull<string> text) => ParsesOrIsMalformed(text.Get);

    [Theory]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"\uD800","Resource":"*"}}""")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"\uD800\",\"Resource\":\"*\"}}")]
    [InlineData("""{"Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*","Condition":{"StringEquals":{"\uDC00":"x"}}}}""")]
    public async Task Lone_surrogates_escaped_or_raw_are_a_malformed_policy_in_KMS_too(string policy)
    {
        Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(policy));
        using var kms = new InMemoryKeyService();
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => kms.CreateKeyAsync(new CreateKeyRequest { Policy = policy }));
    }
}
