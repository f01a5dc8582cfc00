using System.Diagnostics.Metrics;

namespace Vaultlib.Internal;

/// <summary>The one <c>Vaultlib</c> meter every component creates its instruments on (docs/observability.md).</summary>
internal static class VaultlibMeter
{
    public static Meter Meter { get; } = new(VaultlibTelemetry.MeterName, typeof(VaultlibMeter).Assembly.GetName().Version?.ToString(3));

    /// <summary>Bucket boundaries for latencies in seconds: OpenTelemetry's for <c>http.server.request.duration</c>.</summary>
    public static IReadOnlyList<double> LatencyBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>Bucket boundaries for delays behind a due time, in seconds: none, a second, a minute, an hour, a day.</summary>
    public static IReadOnlyList<double> LagBuckets { get; } = [0, 1, 5, 15, 60, 300, 900, 3600, 21600, 86400];

    /// <summary>
    /// A histogram in seconds with <paramref name="buckets"/> advised, so an exporter's default buckets (meant for
    /// milliseconds) do not put every measurement in the first one.
    /// </summary>
    public static Histogram<double> Seconds(string name, string description, IReadOnlyList<double> buckets) =>
        Meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });

    /// <summary>
    /// The service part of a service's records name or scheduled work (<c>kms</c> of <c>kms/us-east-1/111122223333</c>),
    /// so that metric attributes stay few and name no account.
    /// </summary>
    public static string ServiceOf(string name)
    {
        int slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? name : name[..slash];
    }
}
