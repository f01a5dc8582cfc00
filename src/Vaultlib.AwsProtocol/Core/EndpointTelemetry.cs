using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// What the endpoint reports on the <c>Vaultlib</c> meter and activity source (the names of
/// <see cref="VaultlibTelemetry"/>; this package makes its own instances under them): requests answered, by HTTP
/// status, and signatures refused, by AWS error code; and a server span per request that continues the caller's W3C
/// trace context (<c>traceparent</c>, <c>tracestate</c>), under which the operation's own span nests. Only a target
/// this endpoint routes is named in an attribute, so a client cannot fill a metric with names of its own.
/// </summary>
internal static class EndpointTelemetry
{
    private static readonly Meter s_meter = new(VaultlibTelemetry.MeterName, typeof(EndpointTelemetry).Assembly.GetName().Version?.ToString(3));
    private static readonly ActivitySource s_source = new(VaultlibTelemetry.ActivitySourceName, typeof(EndpointTelemetry).Assembly.GetName().Version?.ToString(3));

    private static readonly Counter<long> s_requests = s_meter.CreateCounter<long>(
        "vaultlib.endpoint.requests", "{request}", "Requests the AWS endpoint answered, by HTTP status, service, operation and AWS error code.");

    private static readonly Counter<long> s_signatureFailures = s_meter.CreateCounter<long>(
        "vaultlib.endpoint.signature_failures", "{request}", "Requests refused before any service saw them: missing, malformed, wrong or expired SigV4 signatures and unknown access keys.");

    /// <summary>Starts the request's server span: a child of the ambient span (a host's own request span), else of the caller's <c>traceparent</c>.</summary>
    public static Activity? Start(AwsSignedRequest request, string? target)
    {
        if (!s_source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        if (Activity.Current is null)
        {
            _ = ActivityContext.TryParse(request.Header("traceparent"), request.Header("tracestate"), isRemote: true, out parent);
        }

        (string? service, string? operation) = Routed(target);
        Activity? activity = s_source.StartActivity(service is null ? "vaultlib.endpoint" : $"{service}/{operation}", ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "aws-api");
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", operation);
            activity.SetTag("http.request.method", request.Method);
        }

        return activity;
    }

    /// <summary>Counts the answered request and ends its span; <paramref name="signatureRefused"/> when authentication refused it.</summary>
    public static void End(Activity? activity, string? target, AwsJsonResponse answer, bool signatureRefused)
    {
        (string? service, string? operation) = Routed(target);
        var tags = new TagList
        {
            { "http.response.status_code", answer.StatusCode },
            { "rpc.service", service },
            { "rpc.method", operation },
        };
        if (answer.ErrorType is not null)
        {
            tags.Add("error.type", answer.ErrorType);
        }

        s_requests.Add(1, tags);
        if (signatureRefused)
        {
            s_signatureFailures.Add(1, new TagList { { "error.type", answer.ErrorType } });
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("http.response.status_code", answer.StatusCode);
        activity.SetTag("aws.request_id", answer.RequestId);
        if (answer.ErrorType is not null)
        {
            activity.SetTag("error.type", answer.ErrorType);
            activity.SetStatus(ActivityStatusCode.Error, answer.ErrorType);
        }

        activity.Stop();
    }

    /// <summary>The target's service prefix and operation when this endpoint routes it; nulls otherwise.</summary>
    private static (string? Service, string? Operation) Routed(string? target)
    {
        int dot = target?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        return dot > 0 && ServiceRoutes.All.TryGetValue(target![..dot], out ServiceRoutes? service) && service.Find(target[(dot + 1)..]) is not null
            ? (service.TargetPrefix, target[(dot + 1)..])
            : (null, null);
    }
}
