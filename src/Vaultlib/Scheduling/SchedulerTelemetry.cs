using System.Diagnostics;
using System.Diagnostics.Metrics;
using Vaultlib.Internal;

namespace Vaultlib.Scheduling;

/// <summary>
/// What the scheduler reports on the <c>Vaultlib</c> meter and activity source: work that fell due and ran, how long
/// after its due time it ran (on the scheduler's <see cref="TimeProvider"/>), and work that failed; each run is a span
/// under which its commits and rotations nest. Attributes name the service (<c>kms</c>), not its account.
/// </summary>
internal static class SchedulerTelemetry
{
    private static readonly Counter<long> s_due = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.scheduler.due", "{run}", "Runs of scheduled work that had fallen due (rotations, deletion windows, expirations, renewals).");

    private static readonly Histogram<double> s_lag = VaultlibMeter.Seconds(
        "vaultlib.scheduler.lag", "How long after its due time scheduled work started, on the scheduler's clock.", VaultlibMeter.LagBuckets);

    private static readonly Counter<long> s_failures = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.scheduler.failures", "{failure}", "Runs of scheduled work that failed (tried again after the retry delay).");

    /// <summary>Starts a due run of <paramref name="work"/>: counts it, records its lag, and starts its span.</summary>
    public static Activity? StartRun(IScheduledWork work, DateTimeOffset due, DateTimeOffset now)
    {
        string service = VaultlibMeter.ServiceOf(work.Name);
        var tags = new TagList { { "vaultlib.scheduler.service", service } };
        s_due.Add(1, tags);
        s_lag.Record(Math.Max(0, (now - due).TotalSeconds), tags);
        Activity? activity = VaultlibTracing.Source.StartActivity("vaultlib.scheduler.run");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("vaultlib.scheduler.service", service);
            activity.SetTag("vaultlib.scheduler.work", work.Name);
        }

        return activity;
    }

    /// <summary>Ends a run; <paramref name="error"/> is what it threw, if it failed (only its type is kept).</summary>
    public static void EndRun(Activity? activity, IScheduledWork work, Exception? error)
    {
        if (error is not null)
        {
            string errorCode = VaultlibException.CodeOf(error);
            s_failures.Add(1, new TagList { { "vaultlib.scheduler.service", VaultlibMeter.ServiceOf(work.Name) }, { "error.type", errorCode } });
            VaultlibTracing.Fail(activity, errorCode);
        }

        activity?.Stop();
    }
}
