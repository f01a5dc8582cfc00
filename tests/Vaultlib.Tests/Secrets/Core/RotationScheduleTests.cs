using System.Collections.Immutable;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets.Core;

/// <summary>The edges of the rotation schedule rules and of the staging-label rules, pinned after a mutation run.</summary>
public sealed class RotationScheduleTests
{
    private static readonly DateTimeOffset Thursday = new(2026, 1, 1, 5, 0, 0, TimeSpan.Zero);

    private static void Accepts(RotationRulesType rules) => RotationSchedule.Validate(rules);

    private static void Refuses(RotationRulesType rules) => Assert.Throws<InvalidParameterException>(() => RotationSchedule.Validate(rules));

    [Fact]
    public void Days_durations_and_rates_are_accepted_exactly_at_their_limits()
    {
        Accepts(new RotationRulesType { AutomaticallyAfterDays = 1 });
        Accepts(new RotationRulesType { AutomaticallyAfterDays = 1000 });
        Refuses(new RotationRulesType { AutomaticallyAfterDays = 1001 });
        Refuses(new RotationRulesType { AutomaticallyAfterDays = 0 });
        Accepts(new RotationRulesType { AutomaticallyAfterDays = 1, Duration = "1h" });
        Accepts(new RotationRulesType { AutomaticallyAfterDays = 1, Duration = "24h" });
        Refuses(new RotationRulesType { AutomaticallyAfterDays = 1, Duration = "0h" });
        Refuses(new RotationRulesType { AutomaticallyAfterDays = 1, Duration = "3 h" });
        Accepts(new RotationRulesType { ScheduleExpression = "rate(4 hours)" });
        Refuses(new RotationRulesType { ScheduleExpression = "rate(3 hours)" });
        Accepts(new RotationRulesType { ScheduleExpression = "rate(1 day)" });
        Accepts(new RotationRulesType { ScheduleExpression = "rate(1000 days)" });
        Refuses(new RotationRulesType { ScheduleExpression = "rate(0 days)" });
        Refuses(new RotationRulesType { ScheduleExpression = "rate(1001 days)" });
        Refuses(new RotationRulesType());
        Assert.Throws<InvalidParameterException>(() => RotationSchedule.Next(new RotationRulesType(), Thursday, Thursday));

        // Each refusal names its own rule, not only the four-hour minimum that Validate checks after it.
        string Refusal(string expression) => Assert.Throws<InvalidParameterException>(() => RotationSchedule.Next(new RotationRulesType { ScheduleExpression = expression }, Thursday, Thursday)).Message;
        Assert.Contains("is out of range", Refusal("rate(3 hours)"), StringComparison.Ordinal);
        Assert.Contains("is out of range", Refusal("rate(1001 days)"), StringComparison.Ordinal);
        Assert.Contains("is not a rate() or cron() expression", Refusal("every day"), StringComparison.Ordinal);
        Assert.Equal(Thursday.AddHours(1000), RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "rate(1000 hours)" }, Thursday, Thursday));
    }

    [Fact]
    public void Rates_and_days_count_from_the_last_rotation()
    {
        Assert.Equal(Thursday.AddHours(6), RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "rate(6 hours)" }, Thursday, Thursday.AddHours(1)));
        Assert.Equal(new DateTimeOffset(2026, 1, 11, 0, 0, 0, TimeSpan.Zero), RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "rate(10 days)" }, Thursday, Thursday));
        Assert.Equal(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero), RotationSchedule.Next(new RotationRulesType { AutomaticallyAfterDays = 2 }, Thursday, Thursday));
    }

    [Fact]
    public void Cron_reads_AWS_s_fields_and_counts_from_the_later_of_the_last_rotation_and_now()
    {
        var mondays = new RotationRulesType { ScheduleExpression = "cron(0 8 ? * 2 *)" };
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero), RotationSchedule.Next(mondays, Thursday, Thursday));
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 8, 0, 0, TimeSpan.Zero), RotationSchedule.Next(mondays, Thursday, new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 8, 0, 0, TimeSpan.Zero), RotationSchedule.Next(mondays, new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero), Thursday));

        // Sunday is AWS's 1 and Saturday its 7; ranges and lists keep their shape.
        Assert.Equal(DayOfWeek.Sunday, RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 1 *)" }, Thursday, Thursday).DayOfWeek);
        Assert.Equal(DayOfWeek.Saturday, RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 7 *)" }, Thursday, Thursday).DayOfWeek);
        Assert.Equal(DayOfWeek.Saturday, RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 07 *)" }, Thursday, Thursday).DayOfWeek);
        Assert.Equal(DayOfWeek.Friday, RotationSchedule.Next(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 6-7 *)" }, Thursday, Thursday).DayOfWeek);
        Accepts(new RotationRulesType { ScheduleExpression = "cron(0 12 ? * MON-FRI *)" });

        Refuses(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 0 *)" });
        Refuses(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 8 *)" });
        Refuses(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 1 2027)" });
        Refuses(new RotationRulesType { ScheduleExpression = "cron(0 0 ? * 1)" });
        Refuses(new RotationRulesType { ScheduleExpression = "cron(x y z * ? *)" });
        // A cron expression the parser refuses is refused with the parser's reason.
        string notCron = Assert.Throws<InvalidParameterException>(() => RotationSchedule.Validate(new RotationRulesType { ScheduleExpression = "cron(x y z * ? *)" })).Message;
        Assert.Matches(@"is not a valid cron expression: \S", notCron);
        Refuses(new RotationRulesType { ScheduleExpression = "cron(0 0/2 * * ? *)" }); // every two hours
        Refuses(new RotationRulesType { ScheduleExpression = "cron(0 0,1 * * ? *)" }); // a second rotation an hour after the first
    }

    private static SecretVersionRecord Version(string id, int hoursOld, params string[] stages) =>
        new() { VersionId = id, Stages = [.. stages], CreatedDate = Thursday.AddHours(-hoursOld) };

    [Fact]
    public void Staging_labels_move_and_detach_as_AWS_moves_them()
    {
        List<SecretVersionRecord> versions = [Version("a", 0, "AWSPREVIOUS"), Version("b", 0, "AWSCURRENT", "blue"), Version("c", 0)];
        List<SecretVersionRecord> moved = SecretStages.Attach(versions, "c", "AWSCURRENT");
        Assert.Equal(["AWSCURRENT"], moved[2].Stages);
        Assert.Equal(["blue", "AWSPREVIOUS"], moved[1].Stages);
        Assert.Empty(moved[0].Stages);

        // Attaching a label the version has changes nothing, and keeps the same records.
        List<SecretVersionRecord> same = SecretStages.Attach(moved, "c", "AWSCURRENT");
        Assert.True(same.Zip(moved).All(p => ReferenceEquals(p.First, p.Second)));

        // AWSCURRENT onto the version holding AWSPREVIOUS: it loses AWSPREVIOUS, the old current gains it.
        List<SecretVersionRecord> back = SecretStages.Attach(moved, "b", "AWSCURRENT");
        Assert.Equal(["blue", "AWSCURRENT"], back[1].Stages);
        Assert.Equal(["AWSPREVIOUS"], back[2].Stages);

        // Another label moves on its own: AWSCURRENT and AWSPREVIOUS stay where they are.
        List<SecretVersionRecord> blue = SecretStages.Attach(back, "a", "blue");
        Assert.Equal(["blue"], blue[0].Stages);
        Assert.Equal(["AWSCURRENT"], blue[1].Stages);
        Assert.Equal(["AWSPREVIOUS"], blue[2].Stages);

        // Detaching from a version that does not have the label changes nothing; other versions keep theirs.
        List<SecretVersionRecord> detached = SecretStages.Detach(back, "c", "blue");
        Assert.Equal(["AWSCURRENT"], SecretStages.Attach([Version("first", 0)], "first", "AWSCURRENT")[0].Stages); // no version had it
        Assert.True(detached.Zip(back).All(p => ReferenceEquals(p.First, p.Second)));
        Assert.Equal(["AWSCURRENT"], SecretStages.Detach(back, "b", "blue")[1].Stages);
        Assert.Equal(["blue", "AWSCURRENT"], SecretStages.Detach(back, "c", "AWSCURRENT")[1].Stages);
    }

    [Fact]
    public void Pruning_starts_past_100_versions_and_spares_labelled_ones_and_those_under_24_hours()
    {
        List<SecretVersionRecord> hundred = [.. Enumerable.Range(0, 100).Select(i => Version($"v{i}", 48))];
        Assert.Same(hundred, SecretStages.Prune(hundred, Thursday));

        List<SecretVersionRecord> oneMore = [.. hundred, Version("new", 0, "AWSCURRENT")];
        List<SecretVersionRecord> pruned = SecretStages.Prune(oneMore, Thursday);
        Assert.Equal(100, pruned.Count);
        Assert.DoesNotContain(pruned, v => v.VersionId == "v0");

        // Exactly a day old is old enough; a labelled one is never pruned.
        List<SecretVersionRecord> edge = [Version("labelled", 48, "blue"), Version("day", 24), .. Enumerable.Range(0, 99).Select(i => Version($"young{i}", 1))];
        List<SecretVersionRecord> kept = SecretStages.Prune(edge, Thursday);
        Assert.Equal(100, kept.Count);
        Assert.Contains(kept, v => v.VersionId == "labelled");
        Assert.DoesNotContain(kept, v => v.VersionId == "day");
    }
}
