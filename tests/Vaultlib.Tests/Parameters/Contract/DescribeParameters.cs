using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: the contract of SSM <c>DescribeParameters</c>, <c>DeleteParameter(s)</c> and the tagging operations.</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task DescribeParameters_filters_by_name_path_type_tier_and_tag_and_never_returns_values()
    {
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/svc/a/url", Value = "u", Type = ParameterType.String, Tags = [new Tag { Key = "env", Value = "prod" }] });
        await Put("/svc/a/key", "k", ParameterType.SecureString);
        await Put("/svc/b/deep/x", "x", tier: ParameterTier.Advanced);
        await Put("top", "t");

        async Task<string[]> Describe(params ParameterStringFilter[] filters) =>
            [.. (await Ssm.DescribeParametersAsync(new DescribeParametersRequest { ParameterFilters = filters })).Parameters.Select(p => p.Name)];

        Assert.Equal(["/svc/a/key", "/svc/a/url"], await Describe(new ParameterStringFilter { Key = "Path", Values = ["/svc/a"] }));
        Assert.Equal(["/svc/a/key", "/svc/a/url", "/svc/b/deep/x"], await Describe(new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = ["/svc"] }));
        Assert.Equal(["/svc/a/key", "/svc/a/url"], await Describe(new ParameterStringFilter { Key = "Name", Option = "BeginsWith", Values = ["/svc/a"] }));
        Assert.Equal(["/svc/b/deep/x"], await Describe(new ParameterStringFilter { Key = "Name", Option = "Contains", Values = ["deep"] }));
        Assert.Equal(["/svc/a/key"], await Describe(new ParameterStringFilter { Key = "Type", Values = ["SecureString"] }));
        Assert.Equal(["/svc/b/deep/x"], await Describe(new ParameterStringFilter { Key = "Tier", Values = ["Advanced"] }));
        Assert.Equal(["/svc/a/url"], await Describe(new ParameterStringFilter { Key = "tag:env", Values = ["prod"] }));
        Assert.Equal(["top"], await Describe(new ParameterStringFilter { Key = "Name", Values = ["top"] }));
        Assert.Equal(["/svc/a/key"], (await Ssm.DescribeParametersAsync(new DescribeParametersRequest { Filters = [new ParametersFilter { Key = "KeyId", Values = ["alias/aws/ssm"] }] })).Parameters.Select(p => p.Name));

        ParameterMetadata secure = (await Ssm.DescribeParametersAsync(new DescribeParametersRequest())).Parameters.Single(p => p.Name == "/svc/a/key");
        Assert.Equal("alias/aws/ssm", secure.KeyId);
        Assert.Equal(1, secure.Version);
        Assert.Equal("arn:aws:ssm:us-east-1:111122223333:parameter/svc/a/key", secure.ARN);

        DescribeParametersResponse page = await Ssm.DescribeParametersAsync(new DescribeParametersRequest { MaxResults = 3 });
        Assert.Equal(3, page.Parameters.Count);
        Assert.Single((await Ssm.DescribeParametersAsync(new DescribeParametersRequest { MaxResults = 3, NextToken = page.NextToken })).Parameters);
        await Assert.ThrowsAsync<ValidationException>(() => Ssm.DescribeParametersAsync(new DescribeParametersRequest { Filters = [new ParametersFilter { Key = "Name", Values = ["x"] }], ParameterFilters = [new ParameterStringFilter { Key = "Name", Values = ["x"] }] }));
        await Assert.ThrowsAsync<InvalidFilterKeyException>(() => Describe(new ParameterStringFilter { Key = "Colour", Values = ["red"] }));
        await Assert.ThrowsAsync<InvalidFilterOptionException>(() => Describe(new ParameterStringFilter { Key = "Path", Option = "Equals", Values = ["/svc"] }));
        await Assert.ThrowsAsync<InvalidFilterOptionException>(() => Describe(new ParameterStringFilter { Key = "Tier", Option = "Contains", Values = ["Adv"] }));
    }

    [SkippableFact]
    public async Task DeleteParameter_and_DeleteParameters_remove_every_version()
    {
        await Put("/d/one", "1");
        await Put("/d/one", "2", overwrite: true);
        await Put("/d/two", "2");
        await Ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/d/one" });
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Get("/d/one"));
        await Assert.ThrowsAsync<ParameterNotFoundException>(() => Ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = "/d/one" }));
        Assert.Equal(1, (await Put("/d/one", "fresh")).Version);

        DeleteParametersResponse many = await Ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = ["/d/one", "/d/two", "/d/none"] });
        Assert.Equal(["/d/one", "/d/two"], many.DeletedParameters);
        Assert.Equal(["/d/none"], many.InvalidParameters);
        Assert.Empty((await Ssm.DescribeParametersAsync(new DescribeParametersRequest())).Parameters);
    }

    [SkippableFact]
    public async Task Tags_are_added_replaced_removed_and_listed_and_at_most_50()
    {
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/t", Value = "v", Type = ParameterType.String, Tags = [new Tag { Key = "a", Value = "1" }] });
        await Ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = "Parameter", ResourceId = "/t", Tags = [new Tag { Key = "a", Value = "2" }, new Tag { Key = "b", Value = "3" }] });
        Assert.Equal([("a", "2"), ("b", "3")], (await Tags("/t")).Select(t => (t.Key, t.Value)));
        await Ssm.RemoveTagsFromResourceAsync(new RemoveTagsFromResourceRequest { ResourceType = "Parameter", ResourceId = "/t", TagKeys = ["a", "zz"] });
        Assert.Equal(["b"], (await Tags("/t")).Select(t => t.Key));

        await Assert.ThrowsAsync<TooManyTagsErrorException>(() => Ssm.AddTagsToResourceAsync(new AddTagsToResourceRequest { ResourceType = "Parameter", ResourceId = "/t", Tags = [.. Enumerable.Range(0, 50).Select(i => new Tag { Key = $"k{i}", Value = "v" })] }));
        Assert.Equal("InvalidResourceId", (await Assert.ThrowsAsync<InvalidResourceIdException>(() => Tags("/none"))).ErrorCode);
        Assert.Equal("InvalidResourceType", (await Assert.ThrowsAsync<InvalidResourceTypeException>(() => Ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = "Document", ResourceId = "/t" }))).ErrorCode);
    }

    private async Task<IReadOnlyList<Tag>> Tags(string name) =>
        (await Ssm.ListTagsForResourceAsync(new ListTagsForResourceRequest { ResourceType = "Parameter", ResourceId = name })).TagList;
}
