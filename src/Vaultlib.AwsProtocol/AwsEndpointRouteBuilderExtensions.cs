using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
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
    /// and <c>Date</c>; a body larger than <see cref="MaxBodyBytes"/> is refused with 413 before it is read.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <returns>The endpoint's builder.</returns>
    public static IEndpointConventionBuilder MapVaultlibAws(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPost("/", async (HttpContext http) =>
        {
            IServiceProvider services = http.RequestServices;
            AwsJsonEndpoint endpoint = services.GetService<AwsJsonEndpoint>() ?? new AwsJsonEndpoint(services.GetRequiredService<Vaultlib.VaultlibHost>());
            TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            List<(string, string)> headers = [];
            foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in http.Request.Headers)
            {
                foreach (string? value in header.Value)
                {
                    headers.Add((header.Key, value ?? string.Empty));
                }
            }

            var signed = new AwsSignedRequest(http.Request.Method, http.Request.Path.HasValue ? http.Request.Path.Value! : "/", http.Request.QueryString.HasValue ? http.Request.QueryString.Value![1..] : string.Empty, headers, buffer.ToArray());
            var connection = new CallerIdentity { Principal = "anonymous", SecureTransport = http.Request.IsHttps, SourceIp = http.Connection.RemoteIpAddress?.ToString() };
            AwsJsonResponse answer = await endpoint.HandleSignedAsync(signed, http.Request.Headers["X-Amz-Target"].FirstOrDefault(), services.GetRequiredService<AwsCredentials>(), time.GetUtcNow(), connection, http.RequestAborted).ConfigureAwait(false);
            http.Response.StatusCode = answer.StatusCode;
            http.Response.ContentType = "application/x-amz-json-1.1";
            http.Response.Headers["x-amzn-RequestId"] = answer.RequestId;
            http.Response.Headers.Date = time.GetUtcNow().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (answer.ErrorType is { } type)
            {
                http.Response.Headers["x-amzn-ErrorType"] = type;
            }

            await http.Response.Body.WriteAsync(answer.Body, http.RequestAborted).ConfigureAwait(false);
        });
    }
}
