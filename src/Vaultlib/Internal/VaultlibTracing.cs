using System.Diagnostics;

namespace Vaultlib.Internal;

/// <summary>The one <c>Vaultlib</c> activity source every component starts its spans on (docs/observability.md).</summary>
internal static class VaultlibTracing
{
    public static ActivitySource Source { get; } = new(VaultlibTelemetry.ActivitySourceName, typeof(VaultlibTracing).Assembly.GetName().Version?.ToString(3));

    /// <summary>
    /// Starts the span of one rotation step (<c>Secrets Manager rotation createSecret</c>, <c>KMS rotation RotateKey</c>),
    /// a child of the call or scheduled run that rotates; null when nothing listens.
    /// </summary>
    public static Activity? StartRotationStep(string sdkService, string step)
    {
        Activity? activity = Source.HasListeners() ? Source.StartActivity($"{sdkService} rotation {step}") : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.service", sdkService);
            activity.SetTag("vaultlib.rotation.step", step);
        }

        return activity;
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="errorCode"/> (an AWS error code or an exception's type name, never a message).</summary>
    public static void Fail(Activity? activity, string errorCode)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", errorCode);
        activity.SetStatus(ActivityStatusCode.Error, errorCode);
    }
}
