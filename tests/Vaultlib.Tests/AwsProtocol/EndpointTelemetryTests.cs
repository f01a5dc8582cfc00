using System.Diagnostics;
using Vaultlib.AwsProtocol;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// The endpoint's telemetry: a server span per request that continues the caller's W3C trace context, with the
/// operation's span under it; requests counted by status, service, operation and error code; refused signatures
/// counted on their own; and nothing a client sends beyond a routed target's name in any attribute.
/// </summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class EndpointTelemetryTests : IDisposable
{
    private const string AccessKey = "AKIATELEMETRY0000001";
    private const string Secret = "telemetry-secret-access-key";
    private readonly TelemetryRecorder _recorder = new();
    private readonly VaultlibHost _host = new();
    private readonly HttpClient _http;

    public EndpointTelemetryTests()
    {
        var handler = new VaultlibAwsMessageHandler(new AwsJsonEndpoint(_host), new AwsCredentials().Add(AccessKey, Secret, "arn:aws:iam::111122223333:root"));
        _http = new HttpClient(handler);
    }

    public void Dispose()
    {
        _http.Dispose();
        _host.Dispose();
        _recorder.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(string target, string json, string? traceparent = null, string secret = Secret)
    {
        HttpRequestMessage request = TestSigner.Http(AccessKey, secret, "us-east-1", "kms", target, json, DateTimeOffset.UtcNow);
        if (traceparent is not null)
        {
            request.Headers.TryAddWithoutValidation("traceparent", traceparent);
            request.Headers.TryAddWithoutValidation("tracestate", "vendor=opaque");
        }

        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task A_request_continues_the_callers_trace_and_the_operation_nests_under_its_server_span()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        using HttpResponseMessage response = await SendAsync("TrentService.CreateKey", "{}", $"00-{traceId}-{parentId}-01");
        Assert.Equal(200, (int)response.StatusCode);

        Activity server = Assert.Single(_recorder.Spans(s => s.TraceId == traceId && s.Kind == ActivityKind.Server));
        Assert.Equal(parentId, server.ParentSpanId);
        Assert.True(server.HasRemoteParent);
        Assert.Equal("vendor=opaque", server.TraceStateString);
        Assert.Equal("TrentService/CreateKey", server.DisplayName);
        Assert.Equal(("aws-api", "TrentService", "CreateKey", 200), ((string)server.GetTagItem("rpc.system")!, (string)server.GetTagItem("rpc.service")!, (string)server.GetTagItem("rpc.method")!, (int)server.GetTagItem("http.response.status_code")!));
        Assert.NotNull(server.GetTagItem("aws.request_id"));
        Activity operation = Assert.Single(_recorder.Spans(s => s.TraceId == traceId && s.DisplayName == "KMS.CreateKey"));
        Assert.Equal(server.SpanId, operation.ParentSpanId);

        TelemetryRecorder.Measurement counted = Assert.Single(_recorder.Of("vaultlib.endpoint.requests"));
        Assert.Equal((200, "TrentService", "CreateKey"), ((int)counted.Tags["http.response.status_code"]!, (string)counted.Tags["rpc.service"]!, (string)counted.Tags["rpc.method"]!));
    }

    [Fact]
    public async Task Refused_signatures_and_failed_operations_are_counted_by_status_and_error_code()
    {
        using HttpResponseMessage forged = await SendAsync("TrentService.ListKeys", "{}", secret: "not-the-secret");
        using HttpResponseMessage missing = await SendAsync("TrentService.DescribeKey", """{"KeyId":"alias/none"}""");
        using HttpResponseMessage unknown = await SendAsync("TrentService.NoSuchOperation-with-a-clients-own-words", "{}");
        Assert.Equal((400, 400, 400), ((int)forged.StatusCode, (int)missing.StatusCode, (int)unknown.StatusCode));

        TelemetryRecorder.Measurement refused = Assert.Single(_recorder.Of("vaultlib.endpoint.signature_failures"));
        Assert.Equal("InvalidSignatureException", refused.Tags["error.type"]);
        List<TelemetryRecorder.Measurement> requests = _recorder.Of("vaultlib.endpoint.requests");
        Assert.Equal(
            ["InvalidSignatureException", "NotFoundException", "UnknownOperationException"],
            requests.Select(r => (string)r.Tags["error.type"]!));
        Assert.All(requests, r => Assert.Equal(400, r.Tags["http.response.status_code"]));
        Assert.Null(requests[2].Tags["rpc.method"]); // a target no service routes is not named
        Assert.DoesNotContain("with-a-clients-own-words", _recorder.Everything(), StringComparison.Ordinal);
        Assert.All(_recorder.Spans(s => s.Kind == ActivityKind.Server), s => Assert.Equal(ActivityStatusCode.Error, s.Status));
    }
}
