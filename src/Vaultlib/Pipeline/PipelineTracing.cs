using System.Diagnostics;
using Vaultlib.Internal;

namespace Vaultlib.Pipeline;

/// <summary>
/// The span of one call on the <c>Vaultlib</c> activity source, named and tagged as the AWS SDKs' instrumentation
/// names a call (<c>KMS.Encrypt</c>; <c>rpc.system</c> <c>aws-api</c>, <c>rpc.service</c>, <c>rpc.method</c>,
/// <c>cloud.region</c>), with <c>error.type</c> and an error status when it failed. Work the call causes (a store
/// commit, KMS called by SSM or Secrets Manager) nests under it. No tag carries a request's content.
/// </summary>
internal static class PipelineTracing
{
    /// <summary>Starts the call's span (it becomes <see cref="Activity.Current"/>), or returns null when nothing listens.</summary>
    public static Activity? Start(Operation operation, RequestContext context)
    {
        if (!VaultlibTracing.Source.HasListeners())
        {
            return null;
        }

        Activity? activity = VaultlibTracing.Source.StartActivity(operation.SpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "aws-api");
            activity.SetTag("rpc.service", operation.SdkService);
            activity.SetTag("rpc.method", operation.Name);
            activity.SetTag("cloud.region", context.RequestedRegion);
        }

        return activity;
    }

    /// <summary>Ends the call's span; <paramref name="errorCode"/> is the AWS error code when the call failed.</summary>
    public static void Stop(Activity? activity, string? errorCode)
    {
        if (activity is null)
        {
            return;
        }

        if (errorCode is not null)
        {
            VaultlibTracing.Fail(activity, errorCode);
        }

        activity.Stop();
    }
}
