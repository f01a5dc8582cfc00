using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets.Core;

/// <summary>
/// Staging labels over any sequence of PutSecretValue (with AWSCURRENT, AWSPENDING or a label of one's own),
/// UpdateSecretVersionStage moves of AWSCURRENT, rotations that succeed or fail at any step, and time passing:
/// exactly one version holds AWSCURRENT; when it moves, AWSPREVIOUS is on the version it left; no label is on two
/// versions; and no version is lost that AWS keeps (a labelled one, one under 24 hours old, or one of the 100 newest).
/// </summary>
public sealed class SecretStagesPropertyTests
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:prop-rotation";
    private static readonly string[] s_steps = ["createSecret", "setSecret", "testSecret", "finishSecret"];

    /// <summary>One step: 0-2 a put (AWSCURRENT, AWSPENDING, "blue"), 3 a move of AWSCURRENT, 4 a rotation, 5 a failing rotation, 6 a day passing.</summary>
    public sealed record Action(int Kind, int Pick);

    public static class Arbitraries
    {
        public static Arbitrary<Action[]> Actions() =>
            Gen.Choose(1, 30).SelectMany(n => Gen.ArrayOf(
                from kind in Gen.Choose(0, 6)
                from pick in Gen.Choose(0, 1000)
                select new Action(kind, pick), n)).ToArbitrary();
    }

    private sealed class Rotation : ISecretRotationFunction
    {
        public string? FailAt { get; set; }

        public async Task InvokeAsync(SecretRotationEvent e, ISecretStore secrets, CancellationToken cancellationToken)
        {
            if (e.Step == FailAt)
            {
                throw new InvalidOperationException("injected");
            }

            if (e.Step == "createSecret")
            {
                try
                {
                    await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = e.SecretId, VersionId = e.ClientRequestToken, VersionStage = "AWSPENDING" }, cancellationToken);
                }
                catch (ResourceNotFoundException)
                {
                    await secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = e.SecretId, ClientRequestToken = e.ClientRequestToken, SecretString = e.ClientRequestToken, VersionStages = ["AWSPENDING"] }, cancellationToken);
                }
            }
            else if (e.Step == "finishSecret")
            {
                string current = (await secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = e.SecretId }, cancellationToken)).VersionIdsToStages!.Single(v => v.Value.Contains("AWSCURRENT")).Key;
                if (current != e.ClientRequestToken)
                {
                    await secrets.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = e.SecretId, VersionStage = "AWSCURRENT", MoveToVersionId = e.ClientRequestToken, RemoveFromVersionId = current }, cancellationToken);
                }
            }
        }
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 40)]
    public void Labels_stay_as_AWS_keeps_them(Action[] steps) => Run(steps).GetAwaiter().GetResult();

    private static async Task Run(Action[] steps)
    {
        var clock = new FakeTimeProvider(Vaultlib.Tests.TestSupport.TestData.Epoch);
        var rotation = new Rotation();
        using var sm = new InMemorySecretStore(timeProvider: clock, rotationFunctions: new SecretRotationFunctions().Register(FunctionArn, rotation));
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "prop", SecretString = "v0" });
        var everCreated = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach ((string id, _) in await Stages(sm))
        {
            everCreated[id] = clock.GetUtcNow();
        }

        int n = 0;
        foreach (Action step in steps)
        {
            Dictionary<string, IReadOnlyList<string>> before = await Stages(sm);
            string currentBefore = before.Single(v => v.Value.Contains("AWSCURRENT")).Key;
            try
            {
                switch (step.Kind)
                {
                    case 0 or 1 or 2:
                        string[] stages = step.Kind switch { 0 => ["AWSCURRENT"], 1 => ["AWSPENDING"], _ => ["blue"] };
                        PutSecretValueResponse put = await sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "prop", SecretString = $"v{++n}", VersionStages = stages });
                        everCreated[put.VersionId] = clock.GetUtcNow();
                        break;
                    case 3:
                        string[] ids = [.. (await sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "prop", IncludeDeprecated = true })).Versions.Select(v => v.VersionId)];
                        string target = ids[step.Pick % ids.Length];
                        await sm.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = "prop", VersionStage = "AWSCURRENT", MoveToVersionId = target, RemoveFromVersionId = currentBefore });
                        break;
                    case 4 or 5:
                        rotation.FailAt = step.Kind == 5 ? s_steps[step.Pick % 4] : null;
                        string token = $"rotation-{++n:D24}-{step.Pick:D4}";
                        everCreated[token] = clock.GetUtcNow();
                        await sm.RotateSecretAsync(new RotateSecretRequest { SecretId = "prop", RotationLambdaARN = FunctionArn, ClientRequestToken = token });
                        break;
                    default:
                        clock.Advance(TimeSpan.FromHours(25));
                        break;
                }
            }
            catch (InvalidRequestException ex) when (ex.Message.Contains("previous rotation", StringComparison.Ordinal))
            {
                // A rotation left pending is attempted again: AWS's answer, and the invariants must still hold.
            }
            catch (ResourceNotFoundException)
            {
                // A move to a version the values check refuses (one with no value) is AWS's refusal too.
            }

            Dictionary<string, IReadOnlyList<string>> after = await Stages(sm);
            Assert.Single(after, v => v.Value.Contains("AWSCURRENT"));
            string currentAfter = after.Single(v => v.Value.Contains("AWSCURRENT")).Key;
            if (currentAfter != currentBefore)
            {
                Assert.Contains("AWSPREVIOUS", after[currentBefore]);
            }

            foreach (string label in after.Values.SelectMany(l => l).Distinct())
            {
                Assert.Single(after, v => v.Value.Contains(label));
            }

            // Nothing AWS keeps is gone: every labelled version, every version under a day old, and the 100 newest.
            HashSet<string> kept = [.. (await sm.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = "prop", IncludeDeprecated = true })).Versions.Select(v => v.VersionId)];
            foreach (string id in before.Keys.Where(id => !kept.Contains(id)))
            {
                Assert.True(after.ContainsKey(id) || clock.GetUtcNow() - everCreated[id] >= TimeSpan.FromHours(24), $"version {id} was pruned before it was a day old");
            }

            Assert.All(after.Keys, id => Assert.Contains(id, kept));
        }
    }

    private static async Task<Dictionary<string, IReadOnlyList<string>>> Stages(InMemorySecretStore sm) =>
        new((await sm.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "prop" })).VersionIdsToStages!, StringComparer.Ordinal);
}
