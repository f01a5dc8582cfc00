using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Authorization;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// The protocol layer: answers an AWS JSON 1.1 request (<c>X-Amz-Target: TrentService.Encrypt</c>, <c>AmazonSSM.GetParameter</c>,
/// <c>secretsmanager.GetSecretValue</c>, <c>CertificateManager.RequestCertificate</c>, <c>ACMPrivateCA.IssueCertificate</c>)
/// by calling the Region's Vaultlib service as the caller, through the one request pipeline, and writes the response
/// or the error as AWS writes it. Transport-neutral: the in-process <see cref="VaultlibAwsMessageHandler"/> and the
/// HTTP endpoint both hand it their requests. Thread-safe.
/// </summary>
public sealed partial class AwsJsonEndpoint
{
    private readonly VaultlibHost _host;
    private readonly ILogger _logger;

    /// <summary>An endpoint over every Region and account of <paramref name="host"/>.</summary>
    /// <param name="host">The services.</param>
    /// <param name="logger">Where internal failures (answered as 500 with no detail) are logged; none when null.</param>
    public AwsJsonEndpoint(VaultlibHost host, ILogger<AwsJsonEndpoint>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The services' operations this endpoint routes, as <c>Prefix.Operation</c> targets.</summary>
    public static IEnumerable<string> Targets => ServiceRoutes.All.Values.SelectMany(s => s.OperationNames.Select(o => $"{s.TargetPrefix}.{o}"));

    /// <summary>The SigV4 signing name of a target's service (<c>kms</c>, <c>ssm</c>, <c>secretsmanager</c>, <c>acm</c>, <c>acm-pca</c>), or null for a target of no service here.</summary>
    /// <param name="target">The <c>X-Amz-Target</c> header.</param>
    public static string? SigningNameOf(string? target) =>
        target?.IndexOf('.', StringComparison.Ordinal) is int dot and > 0 && ServiceRoutes.All.TryGetValue(target[..dot], out ServiceRoutes? service) ? service.SigningName : null;

    /// <summary>Answers one request. Never throws for the request's content: every failure is an AWS-shaped error response.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<AwsJsonResponse> HandleAsync(AwsJsonRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string requestId = Guid.NewGuid().ToString();
        try
        {
            (ServiceRoutes service, ServiceRoutes.Route route) = Route(request.Target);
            object input = route.Read(request.Body.Span);
            object target = service.Resolve(_host, request.Region);
            object? output;
            using (request.Caller is null ? null : VaultlibCaller.Use(request.Caller))
            {
                output = await route.InvokeAsync(target, input, cancellationToken).ConfigureAwait(false);
            }

            byte[] body = output is null ? "{}"u8.ToArray() : JsonSerializer.SerializeToUtf8Bytes(output, output.GetType(), AwsJson.Options);
            return new AwsJsonResponse { StatusCode = 200, Body = body, RequestId = requestId };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            AwsJsonResponse error = Error(ex, requestId);
            if (error.StatusCode >= 500)
            {
                LogInternalFailure(_logger, ex, request.Target, error.ErrorType, requestId);
            }

            return error;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "AWS endpoint: {Target} failed inside and was answered as {ErrorType} (request {RequestId}).")]
    private static partial void LogInternalFailure(ILogger logger, Exception exception, string? target, string? errorType, string requestId);

    /// <summary>Authenticates a signed request (SigV4, the caller from its access key and the connection) and answers it; an unauthenticated request gets AWS's error.</summary>
    internal async Task<AwsJsonResponse> HandleSignedAsync(AwsSignedRequest request, string? target, AwsCredentials credentials, DateTimeOffset now, CallerIdentity? connection, CancellationToken cancellationToken)
    {
        System.Diagnostics.Activity? span = EndpointTelemetry.Start(request, target);
        AwsJsonResponse answer;
        bool refused = false;
        try
        {
            (string? region, CallerIdentity caller) = credentials.Authenticate(request, SigningNameOf(target), now);
            if (connection is not null)
            {
                caller = caller with { SecureTransport = connection.SecureTransport, SourceIp = connection.SourceIp, UserAgent = request.Header("user-agent") };
            }

            answer = await HandleAsync(new AwsJsonRequest { Target = target, Body = request.Body, Region = region ?? _host.DefaultOptions.Region, Caller = caller }, cancellationToken).ConfigureAwait(false);
        }
        catch (VaultlibException authentication)
        {
            refused = true;
            answer = Error(authentication, Guid.NewGuid().ToString());
        }
        catch (OperationCanceledException)
        {
            span?.Stop();
            throw;
        }

        EndpointTelemetry.End(span, target, answer, refused);
        return answer;
    }

    /// <summary>The error response AWS sends for <paramref name="error"/>.</summary>
    internal static AwsJsonResponse Error(Exception error, string requestId)
    {
        (int status, string type, string message) = AwsErrors.Of(error);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = type, ["message"] = message });
        return new AwsJsonResponse { StatusCode = status, Body = body, ErrorType = type, RequestId = requestId };
    }

    private static (ServiceRoutes Service, ServiceRoutes.Route Route) Route(string? target)
    {
        int dot = target?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot > 0 && ServiceRoutes.All.TryGetValue(target![..dot], out ServiceRoutes? service) && service.Find(target[(dot + 1)..]) is { } route)
        {
            return (service, route);
        }

        throw new UnknownOperationException(target);
    }
}

/// <summary>One AWS JSON request, as a transport hands it over.</summary>
public sealed record AwsJsonRequest
{
    /// <summary>The <c>X-Amz-Target</c> header.</summary>
    public required string? Target { get; init; }

    /// <summary>The JSON body.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The Region the request is for (its signature's credential scope).</summary>
    public required string Region { get; init; }

    /// <summary>The authenticated caller; the account root when null.</summary>
    public CallerIdentity? Caller { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Target = ").Append(Target).Append(", Region = ").Append(Region);
        return true;
    }
}

/// <summary>One AWS JSON response: the status, the JSON body, and for an error the <c>x-amzn-ErrorType</c>.</summary>
public sealed record AwsJsonResponse
{
    /// <summary>200, 400 for client errors, 500 for internal ones.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The JSON body: the response's members, or <c>{"__type": …, "message": …}</c>.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>For an error: AWS's error type (also the <c>x-amzn-ErrorType</c> header).</summary>
    public string? ErrorType { get; init; }

    /// <summary>The <c>x-amzn-RequestId</c>.</summary>
    public required string RequestId { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("StatusCode = ").Append(StatusCode).Append(", ErrorType = ").Append(ErrorType).Append(", RequestId = ").Append(RequestId);
        return true;
    }
}

/// <summary>The <c>X-Amz-Target</c> names no operation of the services here. AWS <c>UnknownOperationException</c>.</summary>
internal sealed class UnknownOperationException(string? target) : VaultlibException("UnknownOperationException", $"The operation {target} is not one this endpoint serves.");
