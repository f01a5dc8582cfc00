using System.Text;
using Vaultlib.Parameters;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: the contract of SSM <c>PutParameter</c> (types, overwrite, names, tiers, patterns).</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task PutParameter_creates_version_1_and_Overwrite_adds_versions()
    {
        PutParameterResponse created = await Put("/app/prod/url", "https://a");
        Assert.Equal(1, created.Version);
        Assert.Equal(ParameterTier.Standard, created.Tier);
        var exists = await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => Put("/app/prod/url", "https://b"));
        Assert.Equal("ParameterAlreadyExists", exists.ErrorCode);
        Assert.Equal(2, (await Put("/app/prod/url", "https://b", overwrite: true)).Version);

        Parameter latest = await Get("/app/prod/url");
        Assert.Equal("https://b", latest.Value);
        Assert.Equal(2, latest.Version);
        Assert.Equal("arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/url", latest.ARN);
        Assert.Equal("text", latest.DataType);
        Assert.Equal(TestData.Epoch, latest.LastModifiedDate);
        Assert.Equal("https://a", (await Get("/app/prod/url:1")).Value);
        Assert.Equal(":1", (await Get("/app/prod/url:1")).Selector);
    }

    [SkippableFact]
    public async Task PutParameter_refuses_what_AWS_refuses()
    {
        await Put("/typed", "a,b", ParameterType.StringList);
        await Assert.ThrowsAsync<HierarchyTypeMismatchException>(() => Put("/typed", "a", ParameterType.String, overwrite: true));
        Assert.Equal("Type", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.PutParameterAsync(new PutParameterRequest { Name = "/untyped", Value = "v" }))).MemberName);
        Assert.Equal("Tags", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.PutParameterAsync(new PutParameterRequest { Name = "/typed", Value = "v", Overwrite = true, Tags = [new Tag { Key = "k", Value = "v" }] }))).MemberName);
        Assert.Equal("Value", (await Assert.ThrowsAsync<ValidationException>(() => Put("/empty", ""))).MemberName);
        Assert.Equal("KeyId", (await Assert.ThrowsAsync<ValidationException>(() => Put("/plain", "v", keyId: "alias/x"))).MemberName);
        Assert.Equal("DataType", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.PutParameterAsync(new PutParameterRequest { Name = "/d", Value = "v", Type = ParameterType.String, DataType = "binary" }))).MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Ssm.PutParameterAsync(new PutParameterRequest { Name = "/ami", Value = "not-an-ami", Type = ParameterType.String, DataType = "aws:ec2:image" }));
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/ami", Value = "ami-0123456789abcdef0", Type = ParameterType.String, DataType = "aws:ec2:image" });
        Assert.Equal("aws:ec2:image", (await Get("/ami")).DataType);
    }

    [SkippableTheory]
    [InlineData("aws-thing")]
    [InlineData("/AWS/thing")]
    [InlineData("/ssm/thing")]
    [InlineData("SSMthing")]
    [InlineData("/has space")]
    [InlineData("/has*star")]
    [InlineData("app/prod/url")]
    [InlineData("/double//slash")]
    [InlineData("/trailing/")]
    [InlineData("/line/break\n")]
    [InlineData("plain\n")]
    public async Task Names_that_break_AWS_rules_are_refused(string name)
    {
        var refused = await Assert.ThrowsAsync<ValidationException>(() => Put(name, "v"));
        Assert.Equal("Name", refused.MemberName);
    }

    [SkippableFact]
    public async Task Names_have_at_most_15_levels_and_1011_characters_and_a_leading_slash_does_not_make_another_parameter()
    {
        string fifteen = string.Concat(Enumerable.Range(1, 15).Select(i => $"/l{i}"));
        await Put(fifteen, "deep");
        await Assert.ThrowsAsync<HierarchyLevelLimitExceededException>(() => Put(fifteen + "/l16", "deeper"));
        await Put("/" + new string('n', 1010), "long");
        await Assert.ThrowsAsync<ValidationException>(() => Put("/" + new string('n', 1011), "too long"));

        await Put("db", "root-level");
        await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() => Put("/db", "again"));
        Parameter same = await Get("/db");
        Assert.Equal("db", same.Name);
        Assert.Equal("root-level", same.Value);
        Assert.Equal("arn:aws:ssm:us-east-1:111122223333:parameter/db", same.ARN);
    }

    [SkippableFact]
    public async Task Tiers_limit_value_sizes_and_an_advanced_parameter_never_goes_back()
    {
        string standardMax = new('s', 4096);
        await Put("/standard", standardMax);
        var tooBig = await Assert.ThrowsAsync<ValidationException>(() => Put("/standard2", standardMax + "s"));
        Assert.Equal("Value", tooBig.MemberName);
        Assert.Equal(ParameterTier.Advanced, (await Put("/advanced", new string('a', 8192), tier: ParameterTier.Advanced)).Tier);
        await Assert.ThrowsAsync<ValidationException>(() => Put("/advanced2", new string('a', 8193), tier: ParameterTier.Advanced));
        Assert.Equal(ParameterTier.Standard, (await Put("/smart", "small", tier: ParameterTier.IntelligentTiering)).Tier);
        Assert.Equal(ParameterTier.Advanced, (await Put("/smart", new string('b', 5000), overwrite: true, tier: ParameterTier.IntelligentTiering)).Tier);
        Assert.Equal(ParameterTier.Advanced, (await Put("/smart", "small again", overwrite: true)).Tier);
        Assert.Equal("Tier", (await Assert.ThrowsAsync<ValidationException>(() => Put("/smart", "x", overwrite: true, tier: ParameterTier.Standard))).MemberName);

        // Sizes count UTF-8 bytes: 2,049 two-byte characters are over 4 KB.
        await Assert.ThrowsAsync<ValidationException>(() => Put("/utf8", new string('é', 2049)));
        Assert.Equal(4096, Encoding.UTF8.GetByteCount(new string('é', 2048)));
        await Put("/utf8", new string('é', 2048));
    }

    [SkippableFact]
    public async Task AllowedPattern_is_enforced_on_every_version()
    {
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/port", Value = "8080", Type = ParameterType.String, AllowedPattern = "^\\d+$" });
        var mismatch = await Assert.ThrowsAsync<ParameterPatternMismatchException>(() => Put("/port", "eighty", overwrite: true));
        Assert.Equal("ParameterPatternMismatchException", mismatch.ErrorCode);
        Assert.Equal(2, (await Put("/port", "80", overwrite: true)).Version);
        await Assert.ThrowsAsync<InvalidAllowedPatternException>(() => Ssm.PutParameterAsync(new PutParameterRequest { Name = "/bad", Value = "v", Type = ParameterType.String, AllowedPattern = "([" }));
    }

    [SkippableFact]
    public async Task A_parameter_keeps_100_versions_and_the_oldest_goes_unless_it_has_a_label()
    {
        await Put("/many", "v1");
        for (int i = 2; i <= 100; i++)
        {
            await Put("/many", $"v{i}", overwrite: true);
        }

        Assert.Equal(101, (await Put("/many", "v101", overwrite: true)).Version);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => Get("/many:1"));
        Assert.Equal("v2", (await Get("/many:2")).Value);
        await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/many", ParameterVersion = 2, Labels = ["keep"] });
        var limit = await Assert.ThrowsAsync<ParameterMaxVersionLimitExceededException>(() => Put("/many", "v102", overwrite: true));
        Assert.Equal("ParameterMaxVersionLimitExceeded", limit.ErrorCode);
    }
}
