using Vaultlib.Parameters;

namespace Vaultlib.Tests.Parameters;

/// <summary>Contract tests: the contract of SSM <c>LabelParameterVersion</c>, <c>UnlabelParameterVersion</c> and <c>GetParameterHistory</c>.</summary>
public abstract partial class ParameterStoreContractTests
{
    [SkippableFact]
    public async Task Labels_follow_AWS_rules_move_between_versions_and_number_at_most_10_per_version()
    {
        await Put("/l", "v1");
        await Put("/l", "v2", overwrite: true);
        LabelParameterVersionResponse labelled = await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/l", ParameterVersion = 1, Labels = ["prod", "aws-x", "SSMy", "9lives", "ok.label-1", new string('x', 101), "bad label"] });
        Assert.Equal(["aws-x", "SSMy", "9lives", new string('x', 101), "bad label"], labelled.InvalidLabels);
        Assert.Equal(1, labelled.ParameterVersion);

        Assert.Equal(2, (await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/l", Labels = ["prod"] })).ParameterVersion);
        GetParameterHistoryResponse history = await Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/l" });
        Assert.Equal(["ok.label-1"], history.Parameters[0].Labels);
        Assert.Equal(["prod"], history.Parameters[1].Labels);

        await Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/l", ParameterVersion = 2, Labels = [.. Enumerable.Range(1, 9).Select(i => $"l{i}")] });
        var full = await Assert.ThrowsAsync<ParameterVersionLabelLimitExceededException>(() => Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/l", ParameterVersion = 2, Labels = ["one-more"] }));
        Assert.Equal("ParameterVersionLabelLimitExceeded", full.ErrorCode);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/l", ParameterVersion = 9, Labels = ["x"] }));
        Assert.Equal("Labels", (await Assert.ThrowsAsync<ValidationException>(() => Ssm.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = "/l", Labels = [.. Enumerable.Range(1, 11).Select(i => $"m{i}")] }))).MemberName);

        UnlabelParameterVersionResponse unlabelled = await Ssm.UnlabelParameterVersionAsync(new UnlabelParameterVersionRequest { Name = "/l", ParameterVersion = 2, Labels = ["prod", "never"] });
        Assert.Equal(["prod"], unlabelled.RemovedLabels);
        Assert.Equal(["never"], unlabelled.InvalidLabels);
        await Assert.ThrowsAsync<ParameterVersionNotFoundException>(() => Get("/l:prod"));
    }

    [SkippableFact]
    public async Task GetParameterHistory_pages_through_every_version_oldest_first()
    {
        await Ssm.PutParameterAsync(new PutParameterRequest { Name = "/h", Value = "s1", Type = ParameterType.SecureString, Description = "first" });
        for (int i = 2; i <= 7; i++)
        {
            await Put("/h", $"s{i}", ParameterType.SecureString, overwrite: true);
        }

        GetParameterHistoryResponse first = await Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/h", MaxResults = 5, WithDecryption = true });
        GetParameterHistoryResponse second = await Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/h", MaxResults = 5, WithDecryption = true, NextToken = first.NextToken });
        Assert.Equal(["s1", "s2", "s3", "s4", "s5", "s6", "s7"], first.Parameters.Concat(second.Parameters).Select(p => p.Value));
        Assert.Null(second.NextToken);
        Assert.Equal("first", first.Parameters[0].Description);
        Assert.Equal("arn:aws:iam::111122223333:root", first.Parameters[0].LastModifiedUser);
        Assert.Equal("alias/aws/ssm", first.Parameters[0].KeyId);
        Assert.All((await Ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = "/h" })).Parameters, p => Assert.Equal(1, Convert.FromBase64String(p.Value)[0])); // KMS ciphertext blobs, format version 1
    }
}
