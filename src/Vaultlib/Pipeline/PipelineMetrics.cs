using System.Diagnostics;
using System.Diagnostics.Metrics;
using Vaultlib.Internal;

namespace Vaultlib.Pipeline;

/// <summary>
/// What the one request path counts, on the <c>Vaultlib</c> meter, with OpenTelemetry's RPC attribute names
/// (<c>rpc.system</c> <c>aws-api</c>, <c>rpc.service</c> the service as the AWS SDKs name it, <c>rpc.method</c> the AWS operation,
/// <c>cloud.region</c>, and <c>error.type</c> the AWS error code when the call failed). No attribute carries a
/// request's content, so no secret can reach a metric.
/// </summary>
internal static class PipelineMetrics
{
    private static readonly Counter<long> s_calls = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.operation.calls", "{call}", "Operations called, by service, operation, Region and error code (none when it succeeded).");

    private static readonly Histogram<double> s_duration = VaultlibMeter.Seconds(
        "vaultlib.operation.duration", "How long operations took, on the service's clock, from validation to the recorded outcome.", VaultlibMeter.LatencyBuckets);

    private static readonly Counter<long> s_errors = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.operation.errors", "{error}", "Operations that failed, by AWS error code.");

    private static readonly Counter<long> s_denials = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.authorization.denials", "{denial}", "Operations refused by authorization (AccessDeniedException).");

    /// <summary>Records one call's outcome; the clock is read again only when something listens.</summary>
    public static void Record(Operation operation, RequestContext context, TimeProvider time, string? errorCode)
    {
        if (!s_calls.Enabled && !s_duration.Enabled && !s_errors.Enabled && !s_denials.Enabled)
        {
            return;
        }

        TimeSpan elapsed = time.GetElapsedTime(context.StartedAt);

        var tags = new TagList
        {
            { "rpc.system", "aws-api" },
            { "rpc.service", operation.SdkService },
            { "rpc.method", operation.Name },
            { "cloud.region", context.RequestedRegion },
        };
        if (errorCode is not null)
        {
            tags.Add("error.type", errorCode);
        }

        s_calls.Add(1, tags);
        s_duration.Record(elapsed.TotalSeconds, tags);
        if (errorCode is null)
        {
            return;
        }

        s_errors.Add(1, tags);
        if (errorCode == "AccessDeniedException")
        {
            s_denials.Add(1, tags);
        }
    }
}
