using Vaultlib.Parameters;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: the edges of the name, path, filter and policy rules (added after a mutation run showed them unpinned).</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task Filters_match_any_of_their_values_and_refuse_too_many_or_too_long_values()
    {
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/r/a/one", Value = "1", Type = ParameterType.String, Tags = [new Tag { Key = "team", Value = "blue" }] });
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/r/b/two", Value = "2", Type = ParameterType.StringList, DataType = "text" });
        await Put("/r/c/three", "3", ParameterType.SecureString);
        await Put("top-level", "t");

        async Task<string[]> Describe(string key, string? option, params string[] values) =>
            [.. (await Ssm.DescribeParametersAsync(new DescribeParametersRequest { ParameterFilters = [new ParameterStringFilter { Key = key, Option = option, Values = values }] })).Parameters.Select(p => p.Name)];

        Assert.Equal(["/r/a/one", "/r/b/two"], await Describe("Name", "BeginsWith", "/nope", "/r/a", "/r/b"));
        Assert.Equal(["/r/a/one", "/r/c/three"], await Describe("Path", null, "/r/a/", "/r/c"));
        Assert.Equal(["top-level"], await Describe("Path", "OneLevel", "/"));
        Assert.Equal(["/r/b/two", "/r/c/three"], await Describe("Type", null, "StringList", "SecureString"));
        Assert.Equal(["/r/c/three"], await Describe("KeyId", "BeginsWith", "alias/none", "alias/aws"));
        Assert.Equal(["/r/a/one"], await Describe("tag:team", null, "red", "blue"));
        Assert.Equal(4, (await Describe("DataType", null, "text")).Length);
        Assert.Empty(await Describe("DataType", null, "aws:ec2:image"));

        // Every key but Path and Name takes Equals or BeginsWith; Name also Contains; Path OneLevel or Recursive.
        Assert.Equal(["/r/c/three"], await Describe("Type", "BeginsWith", "Secure"));
        Assert.Equal(4, (await Describe("Tier", "BeginsWith", "Stand")).Length);
        Assert.Equal(4, (await Describe("DataType", "BeginsWith", "te")).Length);
        Assert.Equal(["/r/a/one"], await Describe("tag:team", "BeginsWith", "bl"));
        Assert.Equal(["/r/b/two"], await Describe("Name", "Contains", "b/t"));
        Assert.Equal(["/r/a/one", "/r/b/two", "/r/c/three"], await Describe("Path", "Recursive", "/r"));
        foreach ((string key, string option) in new[] { ("Path", "Equals"), ("Name", "Recursive"), ("Type", "Contains"), ("Tier", "OneLevel"), ("DataType", "Contains"), ("KeyId", "Contains"), ("tag:team", "Contains") })
        {
            await Assert.ThrowsAsync<InvalidFilterOptionException>(() => Describe(key, option, "x"));
        }

        // Label is not a key of DescribeParameters (AWS's API reference), and a name without its slash is the same parameter.
        await Assert.ThrowsAsync<InvalidFilterKeyException>(() => Describe("Label", null, "live"));
        Assert.Equal(["top-level"], await Describe("Name", null, "/top-level"));

        // Any of a filter's values matches; a tag filter with no values matches every parameter with the tag.
        Assert.Equal(4, (await Describe("Tier", null, "Advanced", "Standard")).Length);
        Assert.Equal(4, (await Describe("DataType", null, "aws:ec2:image", "text")).Length);
        Assert.Equal(["/r/a/one"], (await Ssm.DescribeParametersAsync(new DescribeParametersRequest { ParameterFilters = [new ParameterStringFilter { Key = "tag:team" }] })).Parameters.Select(p => p.Name));
        Assert.Equal(["/r/a/one"], await Describe("tag:team", null));

        await Assert.ThrowsAsync<InvalidFilterValueException>(() => Describe("Type", null, [.. Enumerable.Repeat("String", 51)]));
        await Assert.ThrowsAsync<InvalidFilterValueException>(() => Describe("Name", null, new string('n', 1025)));
        await Assert.ThrowsAsync<InvalidFilterValueException>(() => Describe("Name", null, ""));
        await Assert.ThrowsAsync<InvalidFilterValueException>(() => Describe("Name", null, "/r/a/one", ""));
        Assert.Empty(await Describe("Name", null, new string('n', 1024))); // the longest value is accepted
        Assert.Equal(["/r/a/one"], await Describe("Name", null, [.. Enumerable.Range(0, 49).Select(i => $"/none/{i}"), "/r/a/one"])); // and 50 values
        await Assert.ThrowsAsync<InvalidFilterKeyException>(() => Describe("tag:", null, "x"));
    }

    [SkippableFact]
    public async Task Paths_selectors_and_labels_are_checked_at_their_edges()
    {
        await Put("/e/x", "x");
        foreach (string bad in new[] { "/aws/x", "/has space", "/double//slash", "/" + new string('p', 2048), "e/x", "", "//", null! })
        {
            Assert.Equal("Path", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = bad }))).MemberName);
        }

        await Assert.ThrowsAsync<ValidationException>(() => Get("/e/x:"));
        // A colon first is part of the name (which it makes invalid), not a selector of an empty name.
        Assert.Contains("only letters", (await Assert.ThrowsAsync<ValidationException>(() => Get(":3"))).Message, StringComparison.Ordinal);
        // The shortest and longest labels are valid.
        Assert.Empty((await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/e/x", Labels = ["a", new string('l', 100)] })).InvalidLabels);
        Assert.Equal(["a", new string('l', 100)], (await Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/e/x" })).Parameters[0].Labels);
        Assert.Equal("x", (await Get("/e/x:a")).Value);
    }

    [SkippableFact]
    public async Task Policy_documents_are_checked_member_by_member_and_a_fired_notification_does_not_fire_again_after_an_overwrite()
    {
        foreach (string bad in new[]
        {
            """[{"Type":"Expiration","Attributes":{"Timestamp":"2026-01-03T00:00:00Z"}}]""",
            """[{"Type":"Expiration","Version":"2.0","Attributes":{"Timestamp":"2026-01-03T00:00:00Z"}}]""",
            """[{"Type":"Expiration","Version":1.0,"Attributes":{"Timestamp":"2026-01-03T00:00:00Z"}}]""",
            """[{"Type":"Expiration","Version":"1.0"}]""",
            """[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":20260103}}]""",
            """[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2026-01-01T00:00:00Z"}}]""",
            """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":2,"Unit":"Days"}}]""",
            """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2"}}]""",
            """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2","Unit":1}}]""",
            """[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"2","Unit":"Days"}} ]x""",
        })
        {
            await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/pol", bad));
        }

        await Assert.ThrowsAsync<InvalidPolicyTypeException>(() => PutWithPolicies("/pol", """[{"Version":"1.0","Attributes":{}}]"""));
        await Assert.ThrowsAsync<InvalidPolicyTypeException>(() => PutWithPolicies("/pol", """[{"Type":1,"Version":"1.0","Attributes":{}}]"""));
        Assert.Contains("needs Attributes", (await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/pol", """[{"Type":"Expiration","Version":"1.0","Attributes":"soon"}]"""))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidPolicyTypeException>(() => PutWithPolicies("/pol", """["Expiration"]"""));
        Assert.Contains("ISO 8601", (await Assert.ThrowsAsync<InvalidPolicyAttributeException>(() => PutWithPolicies("/pol", """[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"soon"}}]"""))).Message, StringComparison.Ordinal);

        // Ten policies are within the limit (these ten break another rule, one of each type), eleven are not.
        string expiration = """{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2026-01-03T00:00:00Z"}}""";
        await Assert.ThrowsAsync<IncompatiblePolicyException>(() => PutWithPolicies("/pol", "[" + string.Join(",", Enumerable.Repeat(expiration, 10)) + "]"));
        await Assert.ThrowsAsync<PoliciesLimitExceededException>(() => PutWithPolicies("/pol", "[" + string.Join(",", Enumerable.Repeat(expiration, 11)) + "]"));
        await PutWithPolicies("/pol", ExpiresInTwoDaysNotifiedOneDayBefore);
        Host.Scheduler.Start();
        Clock.Advance(TimeSpan.FromDays(1));
        await Host.Scheduler.WhenIdleAsync();
        Assert.Equal(TestData.Epoch.AddDays(2), Ssm.ScheduledWork.NextDueTime);
        await Put("/pol", "new value", overwrite: true);
        Assert.Equal(TestData.Epoch.AddDays(2), Ssm.ScheduledWork.NextDueTime);
        Assert.Equal(
            [("Expiration", "Pending"), ("ExpirationNotification", "Finished")],
            (await Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/pol" })).Parameters[^1].Policies.Select(p => (p.PolicyType, p.PolicyStatus)));
    }
}
