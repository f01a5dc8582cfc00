using System.Globalization;
using System.Text;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>Signs AWS JSON requests as a client does (SigV4 over content-type, host, x-amz-date, x-amz-target and any token), for tests that send raw requests.</summary>
internal static class TestSigner
{
    /// <summary>The headers of a signed request, Authorization included.</summary>
    public static List<(string Name, string Value)> Headers(string accessKey, string secret, string region, string service, string target, byte[] body, DateTimeOffset at, string? sessionToken = null, string? host = null)
    {
        string amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        List<(string Name, string Value)> headers = [("content-type", "application/x-amz-json-1.1"), ("host", host ?? $"{service}.{region}.amazonaws.com"), ("x-amz-date", amzDate)];
        if (sessionToken is not null)
        {
            headers.Add(("x-amz-security-token", sessionToken));
        }

        headers.Add(("x-amz-target", target));
        string[] signed = [.. headers.Select(h => h.Name).Order(StringComparer.Ordinal)];
        var scope = new SigV4.Authorization(accessKey, amzDate[..8], region, service, signed, string.Empty);
        string signature = SigV4.Sign(secret, scope, SigV4.StringToSign(amzDate, scope.Scope, SigV4.CanonicalRequest("POST", "/", string.Empty, headers, signed, body)));
        headers.Add(("authorization", $"{SigV4.Algorithm} Credential={accessKey}/{scope.Scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}"));
        return headers;
    }

    /// <summary>The same request as an <see cref="HttpRequestMessage"/> to <paramref name="endpoint"/> (the service's AWS host name when null).</summary>
    public static HttpRequestMessage Http(string accessKey, string secret, string region, string service, string target, string json, DateTimeOffset at, Uri? endpoint = null)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        endpoint ??= new Uri($"https://{service}.{region}.amazonaws.com/");
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        foreach ((string name, string value) in Headers(accessKey, secret, region, service, target, body, at, host: endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port}"))
        {
            if (name == "content-type")
            {
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(value);
            }
            else if (name != "host")
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
