using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>RotateSecret</c> and <c>CancelRotateSecret</c>: the steps, failures at each, schedules on a fake clock.</summary>
public abstract partial class SecretStoreContractTests
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:rotate-db";

    /// <summary>A rotation function as AWS's single-user template writes one, over a pretend database, that can be told to fail at a step.</summary>
    private sealed class PasswordRotation : ISecretRotationFunction
    {
        public string DatabasePassword { get; set; } = "s3cr3t";

        public string? FailAt { get; set; }

        public List<string> Steps { get; } = [];

        public List<string> Observations { get; } = [];

        public async Task InvokeAsync(SecretRotationEvent e, ISecretStore secrets, CancellationToken cancellationToken)
        {
            Steps.Add(e.Step);
            if (e.Step == FailAt)
            {
                throw new InvalidOperationException($"injected failure at {e.Step} while holding {DatabasePassword}");
            }

            switch (e.Step)
            {
                case "createSecret":
                    DescribeSecretResponse described = await secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = e.SecretId }, cancellationToken);
                    Observations.Add(string.Join('|', described.VersionIdsToStages![e.ClientRequestToken]));
                    try
                    {
                        await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = e.SecretId, VersionId = e.ClientRequestToken, VersionStage = "AWSPENDING" }, cancellationToken);
                        Observations.Add("pending already has a value");
                    }
                    catch (ResourceNotFoundException)
                    {
                        Observations.Add("pending has no value");
                        string password = (await secrets.GetRandomPasswordAsync(new GetRandomPasswordRequest { ExcludePunctuation = true }, cancellationToken)).RandomPassword;
                        await secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = e.SecretId, ClientRequestToken = e.ClientRequestToken, SecretString = password, VersionStages = ["AWSPENDING"] }, cancellationToken);
                    }

                    break;
                case "setSecret":
                    DatabasePassword = (await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = e.SecretId, VersionId = e.ClientRequestToken, VersionStage = "AWSPENDING" }, cancellationToken)).SecretString!;
                    break;
                case "testSecret":
                    string pending = (await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = e.SecretId, VersionStage = "AWSPENDING" }, cancellationToken)).SecretString!;
                    if (pending != DatabasePassword)
                    {
                        throw new InvalidOperationException("the database refuses the pending password");
                    }

                    break;
                case "finishSecret":
                    string current = (await secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = e.SecretId }, cancellationToken)).VersionIdsToStages!.Single(v => v.Value.Contains("AWSCURRENT")).Key;
                    if (current != e.ClientRequestToken)
                    {
                        await secrets.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = e.SecretId, VersionStage = "AWSCURRENT", MoveToVersionId = e.ClientRequestToken, RemoveFromVersionId = current }, cancellationToken);
                    }

                    break;
            }
        }
    }

    private PasswordRotation RegisterRotation()
    {
        var function = new PasswordRotation();
        Host.RotationFunctions.Register(FunctionArn, function);
        return function;
    }

    [SkippableFact]
    public async Task RotateSecret_attaches_AWSPENDING_to_a_version_with_no_value_then_runs_the_four_steps()
    {
        PasswordRotation function = RegisterRotation();
        await Create("rds/app", "s3cr3t", token: Token(1));
        RotateSecretResponse rotated = await Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "rds/app", RotationLambdaARN = FunctionArn, RotationRules = new RotationRulesType { AutomaticallyAfterDays = 30 }, ClientRequestToken = Token(2) });

        Assert.Equal(Token(2), rotated.VersionId);
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], function.Steps);
        Assert.Equal(["AWSPENDING", "pending has no value"], function.Observations);
        GetSecretValueResponse current = await Get("rds/app");
        Assert.Equal(Token(2), current.VersionId);
        Assert.Equal(function.DatabasePassword, current.SecretString);
        Assert.Equal(["AWSCURRENT"], current.VersionStages);
        Assert.Equal("s3cr3t", (await Get("rds/app", stage: "AWSPREVIOUS")).SecretString);

        DescribeSecretResponse described = await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "rds/app" });
        Assert.True(described.RotationEnabled);
        Assert.Equal(FunctionArn, described.RotationLambdaARN);
        Assert.Equal(TestData.Epoch, described.LastRotatedDate);
        Assert.Equal(TestData.Epoch.AddDays(30), described.NextRotationDate);
        Assert.Contains(Audit.Events, e => e.EventName == "RotationSucceeded" && e.EventType == "AwsServiceEvent");
    }

    [SkippableTheory]
    [InlineData("createSecret")]
    [InlineData("setSecret")]
    [InlineData("testSecret")]
    [InlineData("finishSecret")]
    public async Task A_step_that_fails_leaves_the_rotation_pending_and_the_next_RotateSecret_attempts_it_again(string step)
    {
        var logs = new CapturingLoggerProvider();
        using var host = new VaultlibHost(CreateVault(Clock), ownsVault: false, timeProvider: Clock, loggerFactory: logs, auditSink: Audit);
        var function = new PasswordRotation { FailAt = step };
        host.RotationFunctions.Register(FunctionArn, function);
        SecretStore sm = host.Secrets;
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "flaky", SecretString = "s3cr3t", ClientRequestToken = Token(1) });

        RotateSecretResponse started = await sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "flaky", RotationLambdaARN = FunctionArn, ClientRequestToken = Token(2) });
        Assert.Equal(Token(2), started.VersionId);
        Assert.Equal(step, function.Steps[^1]);
        Assert.Equal("s3cr3t", (await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "flaky" })).SecretString);
        Assert.Equal(["AWSPENDING"], (await sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "flaky" })).VersionIdsToStages![Token(2)]);
        Assert.Contains(Audit.Events, e => e.EventName == "RotationFailed");
        Assert.Contains(logs.Lines, line => line.Contains(step, StringComparison.Ordinal) && line.Contains("InvalidOperationException", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("s3cr3t", StringComparison.Ordinal) || line.Contains("injected", StringComparison.Ordinal));

        // The next call says a rotation is still in progress, and attempts it again, with the same version.
        function.FailAt = null;
        function.Steps.Clear();
        var again = await Assert.ThrowsAsync<InvalidRequestException>(() => sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "flaky" }));
        Assert.Contains("previous rotation isn't complete", again.Message, StringComparison.Ordinal);
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], function.Steps);
        GetSecretValueResponse current = await sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "flaky" });
        Assert.Equal(Token(2), current.VersionId);
        Assert.Equal(function.DatabasePassword, current.SecretString);
    }

    [SkippableFact]
    public async Task RotateImmediately_false_runs_testSecret_only_and_the_scheduler_rotates_when_due()
    {
        PasswordRotation function = RegisterRotation();
        await Create("later", "s3cr3t", token: Token(1));
        Host.Scheduler.Start();
        RotateSecretResponse response = await Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "later", RotationLambdaARN = FunctionArn, RotationRules = new RotationRulesType { ScheduleExpression = "rate(10 days)" }, RotateImmediately = false });
        Assert.Null(response.VersionId);
        Assert.Equal(["testSecret"], function.Steps);
        ListSecretVersionIdsResponse versions = await Sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "later", IncludeDeprecated = true });
        Assert.Equal([Token(1)], versions.Versions.Select(v => v.VersionId));
        Assert.Equal(TestData.Epoch.AddDays(10), (await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "later" })).NextRotationDate);

        function.Steps.Clear();
        Clock.Advance(TimeSpan.FromDays(10));
        await Host.Scheduler.WhenIdleAsync();
        Assert.Equal(["createSecret", "setSecret", "testSecret", "finishSecret"], function.Steps);
        Assert.Equal(function.DatabasePassword, (await Get("later")).SecretString);
        DescribeSecretResponse described = await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "later" });
        Assert.Equal(TestData.Epoch.AddDays(10), described.LastRotatedDate);
        Assert.Equal(TestData.Epoch.AddDays(20), described.NextRotationDate);
    }

    [SkippableFact]
    public async Task Schedules_are_read_as_AWS_reads_them()
    {
        RegisterRotation();
        await Create("sched", "s3cr3t");
        async Task<DateTimeOffset?> NextFor(RotationRulesType rules)
        {
            await Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "sched", RotationLambdaARN = FunctionArn, RotationRules = rules, RotateImmediately = false });
            return (await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "sched" })).NextRotationDate;
        }

        Clock.Advance(TimeSpan.FromHours(5)); // 2026-01-01T05:00Z, a Thursday
        Assert.Equal(TestData.Epoch.AddDays(7), await NextFor(new RotationRulesType { AutomaticallyAfterDays = 7 }));
        Assert.Equal(TestData.Epoch.AddHours(9), await NextFor(new RotationRulesType { ScheduleExpression = "rate(4 hours)" }));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), await NextFor(new RotationRulesType { ScheduleExpression = "cron(0 8 ? * MON *)", Duration = "2h" }));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), await NextFor(new RotationRulesType { ScheduleExpression = "cron(0 8 ? * 2 *)" })); // AWS's 2 is Monday
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 0, 0, 0, TimeSpan.Zero), await NextFor(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 6#3 *)" })); // the third Friday

        foreach (RotationRulesType bad in new RotationRulesType[]
        {
            new() { AutomaticallyAfterDays = 0 },
            new() { AutomaticallyAfterDays = 1001 },
            new() { AutomaticallyAfterDays = 7, ScheduleExpression = "rate(7 days)" },
            new() { ScheduleExpression = "rate(3 hours)" },
            new() { ScheduleExpression = "rate(1001 days)" },
            new() { ScheduleExpression = "cron(0 * * * ? *)" },
            new() { ScheduleExpression = "cron(0 8 * *)" },
            new() { ScheduleExpression = "every day" },
            new() { ScheduleExpression = "rate(1 day)", Duration = "25h" },
        })
        {
            await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "sched", RotationLambdaARN = FunctionArn, RotationRules = bad, RotateImmediately = false }));
        }
    }

    [SkippableFact]
    public async Task RotateSecret_needs_a_function_and_CancelRotateSecret_turns_rotation_off()
    {
        await Create("nofn", "s3cr3t");
        await Assert.ThrowsAsync<InvalidRequestException>(() => Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "nofn" }));
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "nofn", RotationLambdaARN = "arn:aws:lambda:us-east-1:111122223333:function:unknown" }));

        PasswordRotation function = RegisterRotation();
        function.FailAt = "testSecret";
        await Sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "nofn", RotationLambdaARN = FunctionArn, RotationRules = new RotationRulesType { AutomaticallyAfterDays = 1 }, ClientRequestToken = Token(9) });
        CancelRotateSecretResponse cancelled = await Sm.CancelRotateSecretAsync(new CancelRotateSecretRequest { SecretId = "nofn" });
        Assert.Equal(Token(9), cancelled.VersionId);
        DescribeSecretResponse described = await Sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "nofn" });
        Assert.False(described.RotationEnabled);
        Assert.Null(described.NextRotationDate);
        Assert.Equal(FunctionArn, described.RotationLambdaARN);
    }
}
