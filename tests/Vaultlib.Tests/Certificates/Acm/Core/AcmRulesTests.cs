using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

/// <summary>ACM's domain rules one by one: names, validation domains, the derived records, host matching, tokens.</summary>
public sealed class AcmRulesTests
{
    [Theory]
    [InlineData("example.com", true)]
    [InlineData("www.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("a-b.example.co.uk", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("localhost", false)]
    [InlineData("", false)]
    [InlineData("-a.example.com", false)]
    [InlineData("a-.example.com", false)]
    [InlineData("a..example.com", false)]
    [InlineData("*.*.example.com", false)]
    [InlineData("www.*.example.com", false)]
    [InlineData("under_score.example.com", false)]
    [InlineData("example.com.", false)]
    [InlineData("example.-com", false)]
    [InlineData(" example.com", false)]
    public void A_domain_name_is_AWS_s_pattern(string name, bool valid) => Assert.Equal(valid, AcmDomains.IsValid(name));

    [Fact]
    public void A_domain_name_is_at_most_253_characters_and_each_label_at_most_63()
    {
        string label63 = new('a', 63);
        Assert.True(AcmDomains.IsValid($"{label63}.example.com"));
        Assert.False(AcmDomains.IsValid($"{label63}a.example.com"));
        string name253 = string.Join('.', Enumerable.Repeat(new string('a', 49), 5)) + ".com"; // 5*49 + 4 + 4
        Assert.Equal(253, name253.Length);
        Assert.True(AcmDomains.IsValid(name253));
        Assert.False(AcmDomains.IsValid("a" + name253));
        Assert.False(AcmDomains.IsValid(null));
    }

    [Theory]
    [InlineData("example.com", "www.example.com", true)]
    [InlineData("www.example.com", "www.example.com", true)]
    [InlineData("EXAMPLE.com", "www.example.COM", true)]
    [InlineData("example.com", "*.example.com", true)]
    [InlineData("example.com", "*.api.example.com", true)]
    [InlineData("api.example.com", "*.api.example.com", true)]
    [InlineData("com", "example.com", false)]
    [InlineData("ample.com", "www.example.com", false)]
    [InlineData("other.com", "www.example.com", false)]
    [InlineData("www.example.com", "example.com", false)]
    public void A_validation_domain_is_the_domain_or_a_superdomain_with_two_labels(string validationDomain, string domain, bool covers) =>
        Assert.Equal(covers, AcmDomains.Covers(validationDomain, domain));

    [Fact]
    public void The_base_of_a_wildcard_is_its_domain_in_lower_case() =>
        Assert.Equal(["example.com", "api.example.com"], new[] { "EXAMPLE.com", "*.Api.example.com" }.Select(AcmDomains.Base));

    [Property(MaxTest = 200)]
    public Property Records_are_ACM_s_shape_and_stable_per_domain_and_secret(NonEmptyString label)
    {
        string domain = new string(label.Get.Where(char.IsAsciiLetterOrDigit).Take(20).ToArray()).ToLowerInvariant() + "x.example.com";
        byte[] secret = TestSupport.TestData.RandomBytes(32);
        (string name, string value) = AcmDomains.Record(secret, domain);
        (string again, string againValue) = AcmDomains.Record(secret, domain.ToUpperInvariant());
        (string other, string otherValue) = AcmDomains.Record(TestSupport.TestData.RandomBytes(32), domain);
        return (Regex.IsMatch(name, $@"^_[0-9a-f]{{32}}\.{Regex.Escape(domain)}\.$")
                && Regex.IsMatch(value, @"^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$")
                && name == again && value == againValue
                && name != other && value != otherValue
                && value[1..33] != name[1..33]).ToProperty();
    }

    [Theory]
    [InlineData("www.example.com", "www.example.com", true)]
    [InlineData("www.example.com", "WWW.Example.com", true)]
    [InlineData("*.example.com", "api.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.example.com", ".example.com", false)]
    [InlineData("*.example.com", "apiexample.com", false)]
    [InlineData("www.example.com", "example.com", false)]
    public void A_certificate_serves_its_names_and_a_wildcard_one_label(string pattern, string host, bool serves) =>
        Assert.Equal(serves, AcmDomains.Serves(pattern, host));

    [Theory]
    [InlineData("_a.b.acm-validations.aws.", "_a.b.acm-validations.aws.", true)]
    [InlineData("_a.b.acm-validations.aws", "_a.b.acm-validations.aws.", true)]
    [InlineData("_A.B.ACM-validations.aws.", "_a.b.acm-validations.aws.", true)]
    [InlineData("_a.c.acm-validations.aws.", "_a.b.acm-validations.aws.", false)]
    [InlineData("_a.b.acm-validations.aws.evil.", "_a.b.acm-validations.aws.", false)]
    public void A_CNAME_target_matches_without_case_or_final_dot(string found, string expected, bool same) =>
        Assert.Equal(same, AcmDomains.SameTarget(found, expected));

    [Fact]
    public void Approval_tokens_are_random_and_compared_whole()
    {
        string token = AcmDomains.NewToken();
        Assert.Matches("^[0-9a-f]{32}$", token);
        Assert.NotEqual(token, AcmDomains.NewToken());
        Assert.True(AcmDomains.SameToken(token, token));
        Assert.False(AcmDomains.SameToken(token, token[..31]));
        Assert.False(AcmDomains.SameToken(token, token + "0"));
        Assert.False(AcmDomains.SameToken(null, token));
    }

    [Fact]
    public void Mail_goes_to_the_five_administrative_contacts_in_lower_case() =>
        Assert.Equal(["admin@example.com", "administrator@example.com", "hostmaster@example.com", "postmaster@example.com", "webmaster@example.com"], AcmDomains.Contacts("Example.COM"));

    [Fact]
    public void Renewal_eligibility_is_ACM_s()
    {
        var issued = new AcmRecord { Id = "x", Arn = "a", Type = CertificateType.PRIVATE, Status = CertificateStatus.ISSUED, Domains = ["d.example.com"], KeyAlgorithm = KeyAlgorithm.RSA_2048 };
        Assert.False(AcmLifecycle.Eligible(issued));
        Assert.True(AcmLifecycle.Eligible(issued with { Exported = true }));
        Assert.True(AcmLifecycle.Eligible(issued with { InUseBy = ["lb"] }));
        Assert.True(AcmLifecycle.Eligible(issued with { Type = CertificateType.AMAZON_ISSUED, InUseBy = ["lb"] }));
        Assert.False(AcmLifecycle.Eligible(issued with { Type = CertificateType.IMPORTED, InUseBy = ["lb"], Exported = true }));
        Assert.False(AcmLifecycle.Eligible(issued with { Status = CertificateStatus.EXPIRED, InUseBy = ["lb"] }));
        Assert.DoesNotContain("d.example.com", issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_record_of_a_domain_is_HMAC_SHA_256_of_the_account_secret_as_computed_independently()
    {
        // Computed with Python's hmac module: name = HMAC(secret, "name\0" + domain)[..16], value = HMAC(secret, "value\0" + domain),
        // its first 16 bytes as hex and the next 10 as letters a-z (byte % 26).
        byte[] secret = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        Assert.Equal(("_8082da4bf3e4b5076cd026378c6f3194.www.example.com.", "_d3844d4fdfc08002a7c11c7df0d2e7ea.zdhcetszgc.acm-validations.aws."), AcmDomains.Record(secret, "www.example.com"));
    }
}
