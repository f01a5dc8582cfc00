using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vaultlib.Authorization;
using Vaultlib.AwsProtocol;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves AWS's JSON 1.1 protocol over HTTP from an ASP.NET Core application (the local endpoint the AWS CLI, boto3 and every SDK can use).</summary>
public static class AwsEndpointRouteBuilderExtensions
{
    /// <summary>The largest body the endpoint reads (AWS's largest JSON request, an ACM chain import, is about 2 MiB).</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Answers <c>POST /</c> with AWS JSON 1.1 for every service of the registered <see cref="Vaultlib.VaultlibHost"/>, authenticating
    /// each request's SigV4 signature against the registered <see cref="AwsCredentials"/>. The connection sets
    /// <c>aws:SecureTransport</c> and <c>aws:SourceIp</c> for authorization. Every answer carries <c>x-amzn-RequestId</c>
    /// and <c>Date</c>; a body larger than <see cref="MaxBodyBytes"/> is refused with 413 (an AWS-shaped
    /// <c>RequestEntityTooLargeException</c>) before more of it is buffered.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <returns>The endpoint's builder.</returns>
    public static IEndpointConventionBuilder MapVaultlibAws(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Resolved once, when the route is mapped: every request uses the same endpoint, credentials and clock.
        IServiceProvider services = endpoints.ServiceProvider;
        AwsJsonEndpoint endpoint = services.GetService<AwsJsonEndpoint>() ?? new AwsJsonEndpoint(services.GetRequiredService<Vaultlib.VaultlibHost>(), services.GetService<ILogger<AwsJsonEndpoint>>());
        AwsCredentials credentials = services.GetRequiredService<AwsCredentials>();
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        return endpoints.MapPost("/", async (HttpContext http) =>
        {
            AwsJsonResponse answer;
            (byte[]? body, AwsJsonResponse? refused) = await ReadBodyAsync(http).ConfigureAwait(false);
            if (body is null)
            {
                answer = refused!;
            }
            else
            {
                List<(string, string)> headers = [];
                foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in http.Request.Headers)
                {
                    foreach (string? value in header.Value)
                    {
                        headers.Add((header.Key, value ?? string.Empty));
                    }
                }

                var signed = new AwsSignedRequest(http.Request.Method, http.Request.Path.HasValue ? http.Request.Path.Value! : "/", http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : string.Empty, headers, body);
                var connection = new CallerIdentity { Principal = "anonymous", SecureTransport = http.Request.IsHttps, SourceIp = http.Connection.RemoteIpAddress?.ToString() };
                answer = await endpoint.HandleSignedAsync(signed, http.Request.Headers["X-Amz-Target"].FirstOrDefault(), credentials, time.GetUtcNow(), connection, http.RequestAborted).ConfigureAwait(false);
            }

            http.Response.StatusCode = answer.StatusCode;
            http.Response.ContentType = AwsWire.ContentType;
            foreach ((string name, string value) in AwsWire.Headers(answer, time.GetUtcNow()))
            {
                http.Response.Headers[name] = value;
            }

            await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// The body, or the answer that refuses it: a body larger than <see cref="MaxBodyBytes"/> is refused from its
    /// <c>Content-Length</c> before anything is read, and a chunked one as soon as it passes the limit (the server's own
    /// limit is lowered to it, so nothing larger is buffered); a client that sends its body slower than Kestrel's minimum
    /// data rate, or a body the server cannot read, gets the server's status with an AWS-shaped error.
    /// </summary>
    private static async Task<(byte[]? Body, AwsJsonResponse? Refused)> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            if (http.Request.ContentLength is long length)
            {
                // The usual case: read straight into an array of the announced size.
                byte[] exact = new byte[length];
                await http.Request.Body.ReadExactlyAsync(exact, http.RequestAborted).ConfigureAwait(false);
                return (exact, null);
            }

            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            return buffer.Length > MaxBodyBytes ? (null, TooLarge()) : (buffer.ToArray(), null);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (EndOfStreamException)
        {
            return (null, Refusal(StatusCodes.Status400BadRequest, "SerializationException", "The request body ended before its Content-Length."));
        }
        catch (BadHttpRequestException unreadable)
        {
            return unreadable.StatusCode == StatusCodes.Status408RequestTimeout
                ? (null, Refusal(StatusCodes.Status408RequestTimeout, "RequestTimeoutException", "The request body was not sent fast enough."))
                : (null, Refusal(unreadable.StatusCode, "SerializationException", "The request body could not be read."));
        }
    }

    /// <summary>
    /// The answer to a body over the limit: 413 with an AWS-shaped error. The error types of this and the timeout are
    /// Vaultlib's choice (AWS's front end answers both without a JSON body).
    /// </summary>
    private static AwsJsonResponse TooLarge() => Refusal(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLargeException", $"Request body is larger than {MaxBodyBytes} bytes.");

    private static AwsJsonResponse Refusal(int status, string type, string message) => new()
    {
        StatusCode = status,
        Body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }),
        ErrorType = type,
        RequestId = Guid.NewGuid().ToString(),
    };
}
