using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>PutSecretValue</c> and <c>GetSecretValue</c> (versions, staging labels, idempotency).</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task PutSecretValue_moves_AWSCURRENT_and_the_replaced_version_becomes_AWSPREVIOUS()
    {
        await Create("db", "one", token: Token(1));
        PutSecretValueResponse second = await Put("db", "two", Token(2));
        Assert.Equal(["AWSCURRENT"], second.VersionStages);
        await Put("db", "three", Token(3));

        Assert.Equal("three", (await Get("db")).SecretString);
        Assert.Equal("two", (await Get("db", stage: "AWSPREVIOUS")).SecretString);
        Assert.Equal("one", (await Get("db", versionId: Token(1))).SecretString);
        Assert.Empty((await Get("db", versionId: Token(1))).VersionStages);
        Assert.Equal(["AWSPREVIOUS"], (await Get("db", versionId: Token(2))).VersionStages);

        var stages = (await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "db" })).VersionIdsToStages!;
        Assert.Equal([Token(2), Token(3)], stages.Keys.Order(StringComparer.Ordinal));

        // A version put with other labels leaves AWSCURRENT where it is; a label moves from wherever it was.
        await Put("db", "staged", Token(4), ["blue"]);
        await Put("db", "staged-again", Token(5), ["blue", "green"]);
        Assert.Equal("three", (await Get("db")).SecretString);
        Assert.Equal("staged-again", (await Get("db", stage: "blue")).SecretString);
        Assert.Empty((await Get("db", versionId: Token(4))).VersionStages);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Get("db", versionId: Token(4), stage: "blue"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Get("db", stage: "missing"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Get("db", versionId: Token(99)));
    }

    [SkippableFact]
    public async Task PutSecretValue_with_a_known_token_succeeds_only_with_the_same_value()
    {
        await Create("idem", "one", token: Token(1));
        PutSecretValueResponse first = await Put("idem", "two", Token(2));
        PutSecretValueResponse again = await Put("idem", "two", Token(2));
        Assert.Equal(first.VersionId, again.VersionId);
        Assert.Equal(2, (await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "idem", IncludeDeprecated = true })).Versions.Count);

        var conflict = await Assert.ThrowsAsync<ResourceExistsException>(() => Put("idem", "hunter2-xyz", Token(2)));
        Assert.DoesNotContain("hunter2", conflict.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ResourceExistsException>(() => Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "idem", SecretBinary = "two"u8.ToArray(), ClientRequestToken = Token(2) }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "idem" }));
        await Assert.ThrowsAsync<ValidationException>(() => Put("idem", "v", Token(3), [.. Enumerable.Range(0, 21).Select(i => $"s{i}")]));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Put("missing", "v"));
    }

    [SkippableFact]
    public async Task Deprecated_versions_beyond_the_100_newest_are_pruned_once_a_day_old()
    {
        await Create("many", "v0", token: Token(0));
        for (int i = 1; i <= 105; i++)
        {
            await Put("many", $"v{i}", Token(i));
        }

        // None is a day old: all 106 are kept (in two pages: at most 100 a page).
        ListSecretVersionIdsResponse firstPage = await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "many", IncludeDeprecated = true });
        Assert.Equal(100, firstPage.Versions.Count);
        Assert.Equal(6, (await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "many", IncludeDeprecated = true, NextToken = firstPage.NextToken })).Versions.Count);
        Clock.Advance(TimeSpan.FromHours(25));
        await Put("many", "v106", Token(106));
        ListSecretVersionIdsResponse kept = await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "many", IncludeDeprecated = true });
        Assert.Equal(100, kept.Versions.Count);
        Assert.Null(kept.NextToken);
        Assert.Equal(Token(106), kept.Versions[0].VersionId);
        Assert.DoesNotContain(kept.Versions, v => v.VersionId == Token(6));
        Assert.Contains(kept.Versions, v => v.VersionId == Token(7));
        Assert.Equal(2, (await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "many" })).Versions.Count);
    }
}
