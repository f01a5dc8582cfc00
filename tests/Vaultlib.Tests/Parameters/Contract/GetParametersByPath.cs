using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: the contract of SSM <c>GetParameters</c> and <c>GetParametersByPath</c>.</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task GetParameters_returns_up_to_10_and_lists_the_invalid_ones()
    {
        await Put("/a", "1");
        await Put("/b", "2");
        GetParametersResponse response = await Ssm.GetParametersAsync(new GetParametersRequest { Names = ["/a", "/missing", "/b", "/a:7"] });
        Assert.Equal(["/a", "/b"], response.Parameters.Select(p => p.Name));
        Assert.Equal(["/missing", "/a:7"], response.InvalidParameters);
        Assert.Equal("Names", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersAsync(new GetParametersRequest { Names = [.. Enumerable.Range(0, 11).Select(i => $"/p{i}")] }))).MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersAsync(new GetParametersRequest { Names = [] }));
    }

    [SkippableFact]
    public async Task GetParametersByPath_returns_one_level_or_the_whole_subtree_in_pages_of_at_most_10()
    {
        string[] names = ["/app/a", "/app/b", "/app/sub/c", "/app/sub/deep/d", "/apple/e", "/other/f", "root"];
        foreach (string name in names)
        {
            await Put(name, name);
        }

        for (int i = 0; i < 12; i++)
        {
            await Put($"/app/many/p{i:D2}", "m");
        }

        Assert.Equal(["/app/a", "/app/b"], (await ByPath("/app", recursive: false)).Select(p => p.Name));
        Assert.Equal(["/app/a", "/app/b"], (await ByPath("/app/", recursive: false)).Select(p => p.Name));
        List<Parameter> all = await ByPath("/app", recursive: true, pageSize: 3);
        Assert.Equal(16, all.Count);
        Assert.DoesNotContain(all, p => p.Name.StartsWith("/apple", StringComparison.Ordinal));
        Assert.Equal(["root"], (await ByPath("/", recursive: false)).Select(p => p.Name));
        Assert.Equal(names.Length + 12, (await ByPath("/", recursive: true)).Count);

        GetParametersByPathResponse first = await Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app/many" });
        Assert.Equal(10, first.Parameters.Count);
        Assert.NotNull(first.NextToken);
        GetParametersByPathResponse second = await Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app/many", NextToken = first.NextToken });
        Assert.Equal(["/app/many/p10", "/app/many/p11"], second.Parameters.Select(p => p.Name));
        Assert.Null(second.NextToken);

        await Assert.ThrowsAsync<InvalidNextTokenException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app", NextToken = "garbage" }));
        Assert.Equal("MaxResults", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app", MaxResults = 11 }))).MemberName);
        Assert.Equal("Path", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "app" }))).MemberName);
        Assert.Equal("Path", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "//" }))).MemberName);
        Assert.Equal("Path", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app//" }))).MemberName);
    }

    [SkippableFact]
    public async Task GetParametersByPath_filters_on_type_key_and_label_and_refuses_other_keys()
    {
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/f/plain", Value = "p", Type = ParameterType.String, Tags = [new Tag { Key = "team", Value = "red" }] });
        await Put("/f/list", "a,b", ParameterType.StringList);
        await Put("/f/secret", "s", ParameterType.SecureString);
        await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/f/list", Labels = ["live"] });

        Assert.Equal(["/f/secret"], (await ByPath("/f", true, filters: [new ParameterStringFilter { Key = "Type", Values = ["SecureString"] }])).Select(p => p.Name));
        Assert.Equal(["/f/list"], (await ByPath("/f", true, filters: [new ParameterStringFilter { Key = "Label", Values = ["live"] }])).Select(p => p.Name));
        Assert.Equal(["/f/list", "/f/plain"], (await ByPath("/f", true, filters: [new ParameterStringFilter { Key = "Type", Option = "BeginsWith", Values = ["String"] }])).Select(p => p.Name).Order());
        Assert.Equal(["/f/secret"], (await ByPath("/f", true, filters: [new ParameterStringFilter { Key = "KeyId", Values = ["alias/aws/ssm"] }])).Select(p => p.Name));

        // As AWS's API reference has it: tag, DataType, Name, Path and Tier are not keys of GetParametersByPath, and Label takes Equals only.
        foreach (string key in new[] { "tag:team", "DataType", "Name", "Path", "Tier" })
        {
            Assert.Equal("InvalidFilterKey", (await Assert.ThrowsAsync<InvalidFilterKeyException>(() => ByPath("/f", true, filters: [new ParameterStringFilter { Key = key, Values = ["red"] }]))).ErrorCode);
        }

        await Assert.ThrowsAsync<InvalidFilterOptionException>(() => ByPath("/f", true, filters: [new ParameterStringFilter { Key = "Label", Option = "BeginsWith", Values = ["li"] }]));
        Assert.Equal("s", (await ByPath("/f", true, decrypt: true)).Single(p => p.Name == "/f/secret").Value);
        Assert.Equal("InvalidFilterOption", (await Assert.ThrowsAsync<InvalidFilterOptionException>(() => ByPath("/f", true, filters: [new ParameterStringFilter { Key = "Type", Option = "Recursive", Values = ["String"] }]))).ErrorCode);
        await Assert.ThrowsAsync<InvalidFilterValueException>(() => ByPath("/f", true, filters: [new ParameterStringFilter { Key = "Type", Values = [] }]));
    }

    private async Task<List<Parameter>> ByPath(string path, bool recursive, int? pageSize = null, IReadOnlyList<ParameterStringFilter>? filters = null, bool decrypt = false)
    {
        var all = new List<Parameter>();
        string? token = null;
        do
        {
            GetParametersByPathResponse page = await Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = path, Recursive = recursive, MaxResults = pageSize, NextToken = token, ParameterFilters = filters, WithDecryption = decrypt });
            all.AddRange(page.Parameters);
            token = page.NextToken;
        }
        while (token is not null);
        return all;
    }
}
