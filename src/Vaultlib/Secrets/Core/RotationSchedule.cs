using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cronos;

namespace Vaultlib.Secrets;

/// <summary>
/// Rotation schedules, as Secrets Manager reads them (UTC): <c>AutomaticallyAfterDays</c> (1-1000) or a
/// <c>ScheduleExpression</c>, never both: <c>rate(N hours)</c> (at least 4) or <c>rate(N days)</c> (1-1000), or
/// AWS's six-field <c>cron(minutes hours day-of-month month day-of-week year)</c>, read by Cronos once its
/// day-of-week numbers (AWS counts Sunday as 1) are moved to Cronos's (Sunday is 0), at most every four hours. A
/// <c>Duration</c> of <c>1h</c> to <c>24h</c> sets the window. Vaultlib rotates at the window's start (AWS may rotate
/// any time within it): for a number of days, midnight UTC that many days after the last rotation; for hours, that
/// many hours after it; for cron, the next occurrence.
/// </summary>
internal static partial class RotationSchedule
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromHours(4);

    /// <summary>Checks the rules, with AWS's errors.</summary>
    public static void Validate(RotationRulesType rules)
    {
        if (rules.AutomaticallyAfterDays is not null && rules.ScheduleExpression is not null)
        {
            throw new InvalidParameterException("RotationRules", "You can't specify both AutomaticallyAfterDays and ScheduleExpression.");
        }

        if (rules.AutomaticallyAfterDays is null && rules.ScheduleExpression is null)
        {
            throw new InvalidParameterException("RotationRules", "The rotation rules need AutomaticallyAfterDays or ScheduleExpression.");
        }

        if (rules.AutomaticallyAfterDays is < 1 or > 1000)
        {
            throw new InvalidParameterException("RotationRules.AutomaticallyAfterDays", "AutomaticallyAfterDays must be 1-1000.");
        }

        if (rules.Duration is not null && (!DurationPattern().IsMatch(rules.Duration) || int.Parse(rules.Duration[..^1], CultureInfo.InvariantCulture) is < 1 or > 24))
        {
            throw new InvalidParameterException("RotationRules.Duration", "Duration must be 1h to 24h.");
        }

        // Plain locals rather than pattern variables in these conditions (here and in Next): a negated `is { } x` leaves
        // x unassigned, which does not compile, and Stryker then drops every mutant of the method (docs/testing.md).
        string? expression = rules.ScheduleExpression;
        if (expression is not null)
        {
            DateTimeOffset from = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            DateTimeOffset first = Next(rules, from, from);
            DateTimeOffset second = Next(rules, first, first);
            if (second - first < MinimumInterval || Next(rules, second, second) - second < MinimumInterval)
            {
                throw new InvalidParameterException("RotationRules.ScheduleExpression", $"The schedule {expression} rotates more often than every four hours.");
            }
        }
    }

    /// <summary>When the next rotation is due after the last one (or the secret's creation) at <paramref name="last"/>; <paramref name="now"/> bounds a cron schedule from below.</summary>
    public static DateTimeOffset Next(RotationRulesType rules, DateTimeOffset last, DateTimeOffset now)
    {
        long? days = rules.AutomaticallyAfterDays;
        if (days is not null)
        {
            return Midnight(last).AddDays(days.Value);
        }

        string expression = rules.ScheduleExpression ?? throw new InvalidParameterException("RotationRules", "The rotation rules need AutomaticallyAfterDays or ScheduleExpression.");
        Match rate = RatePattern().Match(expression);
        if (rate.Success)
        {
            int value = int.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            bool hours = rate.Groups[2].Value.StartsWith("hour", StringComparison.Ordinal);
            if (value < 1 || (hours ? value < 4 : value > 1000))
            {
                throw new InvalidParameterException("RotationRules.ScheduleExpression", $"The rate in {expression} is out of range: at least 4 hours, at most 1000 days.");
            }

            return hours ? last.AddHours(value) : Midnight(last).AddDays(value);
        }

        Match cron = CronPattern().Match(expression);
        if (cron.Success)
        {
            CronExpression parsed = ParseCron(cron.Groups[1].Value, expression);
            // Stryker disable once Equality : at last == now either is the same instant
            DateTimeOffset from = last > now ? last : now;
            return parsed.GetNextOccurrence(from, TimeZoneInfo.Utc)
                ?? throw new InvalidParameterException("RotationRules.ScheduleExpression", $"The schedule {expression} has no future occurrence.");
        }

        throw new InvalidParameterException("RotationRules.ScheduleExpression", $"{expression} is not a rate() or cron() expression.");
    }

    /// <summary>AWS's six cron fields as Cronos's five: the year must be <c>*</c>, and day-of-week numbers count from Sunday as 0.</summary>
    private static CronExpression ParseCron(string fields, string expression)
    {
        string[] parts = fields.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6)
        {
            throw new InvalidParameterException("RotationRules.ScheduleExpression", $"{expression} must have six fields: minutes hours day-of-month month day-of-week year.");
        }

        if (parts[5] != "*")
        {
            throw new InvalidParameterException("RotationRules.ScheduleExpression", $"{expression}: Vaultlib takes only * as the year.");
        }

        // The refusal is thrown after the try, not from the catch, so that removing it still compiles under mutation
        // testing (a catch that throws is the method's only way out of that path).
        CronExpression? cron = null;
        string? problem = null;
        try
        {
            cron = CronExpression.Parse(string.Join(' ', parts[0], parts[1], parts[2], parts[3], ShiftDaysOfWeek(parts[4])), CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            problem = ex.Message;
        }

        return cron ?? throw new InvalidParameterException("RotationRules.ScheduleExpression", $"{expression} is not a valid cron expression: {problem}");
    }

    /// <summary>AWS's day-of-week numbers (1-7, Sunday first) as Cronos's (0-6); the number after <c>#</c> is a week, not a day.</summary>
    private static string ShiftDaysOfWeek(string field)
    {
        var shifted = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (char.IsAsciiDigit(field[i]) && (i == 0 || field[i - 1] != '#'))
            {
                int start = i;
                while (i + 1 < field.Length && char.IsAsciiDigit(field[i + 1]))
                {
                    i++;
                }

                int day = int.Parse(field.AsSpan(start, i - start + 1), CultureInfo.InvariantCulture);
                if (day is < 1 or > 7)
                {
                    throw new InvalidParameterException("RotationRules.ScheduleExpression", $"The day of week {day} is not 1-7.");
                }

                shifted.Append((day - 1).ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                shifted.Append(field[i]);
            }
        }

        return shifted.ToString();
    }

    private static DateTimeOffset Midnight(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    [GeneratedRegex("^[0-9]{1,2}h\\z", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^rate\\(([0-9]{1,5}) (hours?|days?)\\)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex RatePattern();

    [GeneratedRegex("^cron\\((.+)\\)\\z", RegexOptions.CultureInvariant)]
    private static partial Regex CronPattern();
}
