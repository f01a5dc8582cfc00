using System.Diagnostics;
using System.Diagnostics.Metrics;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>
/// What the storage layer reports on the <c>Vaultlib</c> meter and activity source: each commit's latency and span,
/// how long other instances' changes took to reach this one through the change feed, and when this instance takes or
/// loses a scheduler lease. Attributes name the service's records (<c>kms/us-east-1/111122223333</c>), never a record.
/// Latencies are I/O time on the monotonic clock (<see cref="Stopwatch"/>), not service dates, so a fake
/// <see cref="TimeProvider"/> does not stop them.
/// </summary>
internal static class StoreTelemetry
{
    private static readonly Histogram<double> s_commitDuration = VaultlibMeter.Seconds(
        "vaultlib.store.commit.duration", "How long a commit of records (sealing, the manifest and the store's transaction) took.", VaultlibMeter.LatencyBuckets);

    private static readonly Histogram<double> s_feedDelay = VaultlibMeter.Seconds(
        "vaultlib.store.change_feed.delay", "How long after its commit another instance's change reached this instance's view, by the store's clock.", VaultlibMeter.LatencyBuckets);

    private static readonly Counter<long> s_leaseChanges = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.store.lease.changes", "{change}", "Scheduler leases this instance took (acquired) or stopped holding (lost).");

    /// <summary>Starts a commit's span (a child of the operation that commits) and its clock.</summary>
    public static (Activity? Activity, long Started) StartCommit(string service, int writes)
    {
        Activity? activity = VaultlibTracing.Source.HasListeners() ? VaultlibTracing.Source.StartActivity("vaultlib.store.commit") : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("vaultlib.store.service", service);
            activity.SetTag("vaultlib.store.writes", writes);
        }

        return (activity, s_commitDuration.Enabled ? Stopwatch.GetTimestamp() : 0);
    }

    /// <summary>Ends a commit's span and records its latency; <paramref name="errorCode"/> names a failure.</summary>
    public static void EndCommit((Activity? Activity, long Started) commit, string service, string? errorCode)
    {
        if (commit.Started != 0)
        {
            var tags = new TagList { { "vaultlib.store.service", VaultlibMeter.ServiceOf(service) } };
            if (errorCode is not null)
            {
                tags.Add("error.type", errorCode);
            }

            s_commitDuration.Record(Stopwatch.GetElapsedTime(commit.Started).TotalSeconds, tags);
        }

        if (errorCode is not null)
        {
            VaultlibTracing.Fail(commit.Activity, errorCode);
        }

        commit.Activity?.Stop();
    }

    /// <summary>Records the age of a change this instance applied from the feed, when the store knows it.</summary>
    public static void ChangeApplied(string service, TimeSpan? age)
    {
        if (age is { } delay && s_feedDelay.Enabled)
        {
            s_feedDelay.Record(Math.Max(0, delay.TotalSeconds), new TagList { { "vaultlib.store.service", VaultlibMeter.ServiceOf(service) } });
        }
    }

    /// <summary>Records that this instance took (<paramref name="held"/>) or lost a scheduler lease.</summary>
    public static void LeaseChanged(string service, bool held) =>
        s_leaseChanges.Add(1, new TagList { { "vaultlib.store.service", VaultlibMeter.ServiceOf(service) }, { "vaultlib.lease.change", held ? "acquired" : "lost" } });
}
