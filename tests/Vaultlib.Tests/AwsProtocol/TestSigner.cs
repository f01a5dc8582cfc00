using System.Text;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>Signs AWS JSON requests as a client does (<see cref="SigV4.SignedJsonHeaders"/>), for tests that send raw requests.</summary>
internal static class TestSigner
{
    /// <summary>The headers of a signed request, Authorization included.</summary>
    public static List<(string Name, string Value)> Headers(string accessKey, string secret, string region, string service, string target, byte[] body, DateTimeOffset at, string? sessionToken = null, string? host = null) =>
        SigV4.SignedJsonHeaders(accessKey, secret, region, service, host ?? $"{service}.{region}.amazonaws.com", target, body, at, sessionToken);

    /// <summary>The same request as an <see cref="HttpRequestMessage"/> to <paramref name="endpoint"/> (the service's AWS host name when null).</summary>
    public static HttpRequestMessage Http(string accessKey, string secret, string region, string service, string target, string json, DateTimeOffset at, Uri? endpoint = null) =>
        SigV4.SignedJsonRequest(endpoint ?? new Uri($"https://{service}.{region}.amazonaws.com/"), accessKey, secret, region, service, target, Encoding.UTF8.GetBytes(json), at);
}
