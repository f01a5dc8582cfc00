using System.Text;
using System.Text.RegularExpressions;
using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>CreateSecret</c> (names, ARNs, values, limits).</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task CreateSecret_makes_an_ARN_with_six_random_characters_and_a_first_AWSCURRENT_version()
    {
        CreateSecretResponse created = await Create("prod/db/password", token: Token(1));
        Assert.Matches(new Regex("^arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/password-[A-Za-z0-9]{6}$"), created.ARN);
        Assert.Equal(Token(1), created.VersionId);

        GetSecretValueResponse value = await Get("prod/db/password");
        Assert.Equal("s3cr3t", value.SecretString);
        Assert.Null(value.SecretBinary);
        Assert.Equal(["AWSCURRENT"], value.VersionStages);
        Assert.Equal(TestData.Epoch, value.CreatedDate);

        // The same secret by its name, its full ARN and its partial ARN; a wrong suffix finds nothing.
        Assert.Equal(created.ARN, (await Get(created.ARN)).ARN);
        Assert.Equal(created.ARN, (await Get(created.ARN[..^7])).ARN);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Get(created.ARN[..^6] + "zzzzzz"));
    }

    [SkippableFact]
    public async Task CreateSecret_holds_binary_values_and_secrets_without_a_value()
    {
        byte[] binary = [0, 1, 2, 255];
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "bin", SecretBinary = binary });
        GetSecretValueResponse read = await Get("bin");
        Assert.Equal(binary, read.SecretBinary!.Value.ToArray());
        Assert.Null(read.SecretString);

        CreateSecretResponse empty = await Create("empty", value: null);
        Assert.Null(empty.VersionId);
        var none = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Get("empty"));
        Assert.Contains("AWSCURRENT", none.Message, StringComparison.Ordinal);
        Assert.Empty((await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "empty" })).VersionIdsToStages!);
    }

    [SkippableFact]
    public async Task CreateSecret_refuses_what_AWS_refuses()
    {
        await Create("taken");
        Assert.Equal("ResourceExistsException", (await Assert.ThrowsAsync<ResourceExistsException>(() => Create("taken"))).ErrorCode);
        Assert.Equal("Name", (await Assert.ThrowsAsync<InvalidParameterException>(() => Create("has space"))).MemberName);
        Assert.Equal("Name", (await Assert.ThrowsAsync<ValidationException>(() => Create(new string('n', 513)))).MemberName);
        await Create(new string('n', 512), value: "v");
        await Create("all/_+=.@-chars");
        Assert.Equal("ClientRequestToken", (await Assert.ThrowsAsync<ValidationException>(() => Create("short-token", token: "too-short"))).MemberName);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.CreateSecretAsync(new CreateSecretRequest { Name = "both", SecretString = "s", SecretBinary = new byte[] { 1 } }));
        Assert.Equal("SecretString", (await Assert.ThrowsAsync<ValidationException>(() => Create("huge", value: new string('x', 65_537)))).MemberName);
        Assert.Equal("SecretString", (await Assert.ThrowsAsync<ValidationException>(() => Create("multi-byte", value: new string('é', 32_769)))).MemberName);
        Assert.Equal(65_536, Encoding.UTF8.GetByteCount((await Get((await Create("max", value: new string('x', 65_536))).ARN)).SecretString!));
        Assert.Equal("SecretBinary", (await Assert.ThrowsAsync<ValidationException>(() => Sm.CreateSecretAsync(new CreateSecretRequest { Name = "empty-bin", SecretBinary = Array.Empty<byte>() }))).MemberName);
        Assert.Equal("Description", (await Assert.ThrowsAsync<ValidationException>(() => Create("d", description: new string('d', 2049)))).MemberName);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Create("reserved-tag", tags: [new Tag { Key = "aws:owner", Value = "x" }]));
        await Assert.ThrowsAsync<ValidationException>(() => Create("many-tags", tags: [.. Enumerable.Range(0, 51).Select(i => new Tag { Key = $"k{i}", Value = "v" })]));
        Assert.Equal("EncryptionFailure", (await Assert.ThrowsAsync<EncryptionFailureException>(() => Create("no-key", keyId: "alias/missing"))).ErrorCode);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Get("no-key"));
    }
}
