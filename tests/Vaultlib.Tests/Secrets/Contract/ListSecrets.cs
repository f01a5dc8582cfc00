using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>ListSecrets</c>, <c>ListSecretVersionIds</c>, <c>DescribeSecret</c>, <c>TagResource</c> and <c>UntagResource</c>.</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task ListSecrets_filters_as_AWS_documents_and_pages_by_creation_date()
    {
        await Create("prod/db/Password", description: "Database credentials", tags: [new Tag { Key = "team", Value = "payments" }]);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Create("prod/api/key", description: "API key", tags: [new Tag { Key = "team", Value = "search" }]);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Create("dev/db/password");

        async Task<string[]> Names(params Filter[] filters) =>
            [.. (await Sm.ListSecretsAsync(new ListSecretsRequest { Filters = filters })).SecretList.Select(s => s.Name)];

        Assert.Equal(["dev/db/password", "prod/api/key", "prod/db/Password"], await Names());
        Assert.Equal(["prod/api/key", "prod/db/Password"], await Names(new Filter { Key = "name", Values = ["prod/"] }));
        Assert.Empty(await Names(new Filter { Key = "name", Values = ["PROD/"] }));
        Assert.Equal(["dev/db/password"], await Names(new Filter { Key = "name", Values = ["!prod"] }));
        Assert.Equal(["prod/db/Password"], await Names(new Filter { Key = "description", Values = ["database"] }));
        Assert.Equal(["prod/api/key", "prod/db/Password"], await Names(new Filter { Key = "tag-key", Values = ["te"] }));
        Assert.Equal(["prod/db/Password"], await Names(new Filter { Key = "tag-value", Values = ["pay"] }));
        Assert.Equal(["prod/db/Password"], await Names(new Filter { Key = "name", Values = ["prod"] }, new Filter { Key = "tag-value", Values = ["payments", "nothing"] }));
        Assert.Equal(3, (await Names(new Filter { Key = "primary-region", Values = ["us-east"] })).Length);
        Assert.Empty(await Names(new Filter { Key = "owning-service", Values = ["rds"] }));
        Assert.Equal(["dev/db/password", "prod/db/Password"], await Names(new Filter { Key = "all", Values = ["PASSWORD"] }));
        Assert.Equal(["prod/api/key"], await Names(new Filter { Key = "all", Values = ["apiKey"] }));
        Assert.Equal(["prod/db/Password"], await Names(new Filter { Key = "all", Values = ["payments"] }));
        await Assert.ThrowsAsync<ValidationException>(() => Names(new Filter { Key = "color", Values = ["red"] }));
        await Assert.ThrowsAsync<ValidationException>(() => Names(new Filter { Key = "name", Values = [] }));
        await Assert.ThrowsAsync<ValidationException>(() => Names(new Filter { Key = "name", Values = ["bad#char"] }));

        ListSecretsResponse first = await Sm.ListSecretsAsync(new ListSecretsRequest { MaxResults = 2, SortOrder = "asc" });
        Assert.Equal(["prod/db/Password", "prod/api/key"], first.SecretList.Select(s => s.Name));
        ListSecretsResponse second = await Sm.ListSecretsAsync(new ListSecretsRequest { MaxResults = 2, SortOrder = "asc", NextToken = first.NextToken });
        Assert.Equal(["dev/db/password"], second.SecretList.Select(s => s.Name));
        Assert.Null(second.NextToken);
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => Sm.ListSecretsAsync(new ListSecretsRequest { NextToken = "garbage" }));
        await Assert.ThrowsAsync<ValidationException>(() => Sm.ListSecretsAsync(new ListSecretsRequest { MaxResults = 101 }));
        await Assert.ThrowsAsync<ValidationException>(() => Sm.ListSecretsAsync(new ListSecretsRequest { SortOrder = "up" }));

        SecretListEntry entry = first.SecretList[0];
        Assert.Equal("Database credentials", entry.Description);
        Assert.Equal("us-east-1", entry.PrimaryRegion);
        Assert.Single(entry.SecretVersionsToStages!);
    }

    [SkippableFact]
    public async Task Tags_are_added_changed_and_removed_up_to_50()
    {
        await Create("tagged", tags: [new Tag { Key = "a", Value = "1" }]);
        await Sm.TagResourceAsync(new TagResourceRequest { SecretId = "tagged", Tags = [new Tag { Key = "a", Value = "2" }, new Tag { Key = "b", Value = "" }] });
        Assert.Equal([("a", "2"), ("b", "")], (await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "tagged" })).Tags!.Select(t => (t.Key, t.Value)));
        await Sm.UntagResourceAsync(new UntagResourceRequest { SecretId = "tagged", TagKeys = ["a", "never-there"] });
        Assert.Equal(["b"], (await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "tagged" })).Tags!.Select(t => t.Key));

        await Sm.TagResourceAsync(new TagResourceRequest { SecretId = "tagged", Tags = [.. Enumerable.Range(0, 49).Select(i => new Tag { Key = $"k{i}", Value = "v" })] });
        await Assert.ThrowsAsync<LimitExceededException>(() => Sm.TagResourceAsync(new TagResourceRequest { SecretId = "tagged", Tags = [new Tag { Key = "one-more", Value = "v" }] }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.TagResourceAsync(new TagResourceRequest { SecretId = "tagged", Tags = [new Tag { Key = "AWS:x", Value = "v" }] }));
        await Assert.ThrowsAsync<ValidationException>(() => Sm.TagResourceAsync(new TagResourceRequest { SecretId = "tagged", Tags = [new Tag { Key = new string('k', 129), Value = "v" }] }));
        await Assert.ThrowsAsync<ValidationException>(() => Sm.UntagResourceAsync(new UntagResourceRequest { SecretId = "tagged", TagKeys = [""] }));
    }

    [SkippableFact]
    public async Task ListSecretVersionIds_lists_newest_first_and_deprecated_ones_when_asked()
    {
        await Create("vers", "one", token: Token(1));
        await Put("vers", "two", Token(2));
        await Put("vers", "three", Token(3));
        ListSecretVersionIdsResponse labelled = await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "vers" });
        Assert.Equal([Token(3), Token(2)], labelled.Versions.Select(v => v.VersionId));
        Assert.StartsWith("arn:aws:kms:us-east-1:111122223333:key/", Assert.Single(labelled.Versions[0].KmsKeyIds), StringComparison.Ordinal);

        ListSecretVersionIdsResponse page = await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "vers", IncludeDeprecated = true, MaxResults = 2 });
        Assert.Equal([Token(3), Token(2)], page.Versions.Select(v => v.VersionId));
        await Put("vers", "four", Token(4)); // a new version does not disturb the pages already given
        ListSecretVersionIdsResponse rest = await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "vers", IncludeDeprecated = true, MaxResults = 2, NextToken = page.NextToken });
        Assert.Equal([Token(1)], rest.Versions.Select(v => v.VersionId));
        Assert.Empty(rest.Versions[0].VersionStages);
    }
}
