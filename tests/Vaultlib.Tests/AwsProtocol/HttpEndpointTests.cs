using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vaultlib.AwsProtocol;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary><c>MapVaultlibAws</c> on a real Kestrel server on loopback: the AWS SDK's KMS client over HTTP, and requests that are not AWS's refused with AWS's errors while later ones still succeed.</summary>
public sealed class HttpEndpointTests : IAsyncLifetime
{
    private const string AccessKey = "AKIAVAULTLIBHTTP0001";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYHTTPKEY";
    private WebApplication _app = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k =>
        {
            // Short enough for a test to see a slow client cut off.
            k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(2));
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(2);
        }).UseUrls("http://127.0.0.1:0");
        builder.Services.AddVaultlib();
        builder.Services.AddSingleton(new AwsCredentials().Add(AccessKey, Secret, "arn:aws:iam::111122223333:root"));
        _app = builder.Build();
        _app.MapVaultlibAws();
        await _app.StartAsync();
        _url = LocalEndpoint.Address(_app);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private AmazonKeyManagementServiceClient Kms() =>
        new(new BasicAWSCredentials(AccessKey, Secret), new AmazonKeyManagementServiceConfig { ServiceURL = _url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task The_SDK_s_KMS_client_works_over_HTTP_with_AWS_s_headers()
    {
        using AmazonKeyManagementServiceClient kms = Kms();
        string keyId = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "http" })).KeyMetadata.KeyId;
        EncryptResponse encrypted = await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("over the wire")) });
        DecryptResponse decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });
        Assert.Equal("over the wire", Encoding.UTF8.GetString(decrypted.Plaintext.ToArray()));
        Assert.False(string.IsNullOrEmpty(decrypted.ResponseMetadata.RequestId));
        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/none" }));
    }

    [Fact]
    public async Task The_SDK_s_SSM_client_works_over_HTTP_with_its_paginator_and_typed_errors()
    {
        using var ssm = new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementClient(new BasicAWSCredentials(AccessKey, Secret), new Amazon.SimpleSystemsManagement.AmazonSimpleSystemsManagementConfig { ServiceURL = _url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        for (int i = 0; i < 5; i++)
        {
            await ssm.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest { Name = $"/http/p{i}", Value = $"v{i}", Type = Amazon.SimpleSystemsManagement.ParameterType.SecureString });
        }

        var values = new List<string>();
        int pages = 0;
        await foreach (Amazon.SimpleSystemsManagement.Model.GetParametersByPathResponse page in ssm.Paginators.GetParametersByPath(new Amazon.SimpleSystemsManagement.Model.GetParametersByPathRequest { Path = "/http", WithDecryption = true, MaxResults = 2 }).Responses)
        {
            values.AddRange(page.Parameters.Select(p => p.Value));
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(["v0", "v1", "v2", "v3", "v4"], values.Order());
        await Assert.ThrowsAsync<Amazon.SimpleSystemsManagement.Model.ParameterNotFoundException>(() => ssm.GetParameterAsync(new Amazon.SimpleSystemsManagement.Model.GetParameterRequest { Name = "/http/none" }));
    }

    [Fact]
    public async Task Unsigned_malformed_and_oversized_requests_get_AWS_s_errors_and_the_endpoint_keeps_serving()
    {
        using var http = new HttpClient { BaseAddress = _url };
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1") };
        unsigned.Headers.Add("X-Amz-Target", "TrentService.ListKeys");
        using HttpResponseMessage refused = await http.SendAsync(unsigned);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", refused.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.NotNull(refused.Headers.Date);
        Assert.Single(refused.Headers.GetValues("x-amzn-RequestId"));

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8, "application/x-amz-json-1.1") };
        forged.Headers.Add("X-Amz-Target", "TrentService.ListKeys");
        forged.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={AccessKey}/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('0', 64)}");
        forged.Headers.Add("X-Amz-Date", "20261129T000000Z");
        using HttpResponseMessage bad = await http.SendAsync(forged);
        Assert.Equal("InvalidSignatureException", bad.Headers.GetValues("x-amzn-ErrorType").Single());

        using var huge = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(new byte[AwsEndpointRouteBuilderExtensions.MaxBodyBytes + 1]) };
        using HttpResponseMessage tooLarge = await http.SendAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        // After all of them, a signed request still succeeds.
        using AmazonKeyManagementServiceClient kms = Kms();
        Assert.NotNull((await kms.ListKeysAsync(new ListKeysRequest())).Keys);
    }

    private HttpRequestMessage Signed(string target, string json, string service = "kms") =>
        TestSigner.Http(AccessKey, Secret, "us-east-1", service, target, json, DateTimeOffset.UtcNow, _url);

    private static async Task<(HttpStatusCode Status, string Type)> Answer(HttpResponseMessage response)
    {
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string type = body.RootElement.GetProperty("__type").GetString()!;
        Assert.Equal(type, response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Single(response.Headers.GetValues("x-amzn-RequestId"));
        Assert.NotNull(response.Headers.Date);
        return (response.StatusCode, type);
    }

    private async Task AssertStillServesAsync()
    {
        using AmazonKeyManagementServiceClient kms = Kms();
        Assert.NotNull((await kms.ListKeysAsync(new ListKeysRequest())).Keys);
    }

    [Theory]
    [InlineData("TrentService.CreateKey", "{not json", "SerializationException")]
    [InlineData("TrentService.CreateKey", "[1,2]", "SerializationException")]
    [InlineData("TrentService.CreateKey", "{\"Description\":{\"a\":1}}", "SerializationException")]
    [InlineData("TrentService.GenerateRandom", "{\"NumberOfBytes\":\"many\"}", "SerializationException")]
    [InlineData("TrentService.GenerateRandom", "{\"NumberOfBytes\":1e400}", "SerializationException")]
    [InlineData("TrentService.Encrypt", "{\"KeyId\":\"alias/x\",\"Plaintext\":\"not base64!\"}", "SerializationException")]
    [InlineData("TrentService.CreateKey", "{\"KeySpec\":\"NOT_A_SPEC\"}", "ValidationException")]
    [InlineData("TrentService.Encrypt", "{}", "ValidationException")]
    [InlineData("TrentService.NoSuchOperation", "{}", "UnknownOperationException")]
    [InlineData("NoSuchService.ListKeys", "{}", "UnknownOperationException")]
    public async Task Signed_but_malformed_requests_get_AWS_shaped_400s_over_HTTP(string target, string json, string expected)
    {
        using var http = new HttpClient();
        using HttpRequestMessage request = Signed(target, json);
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal((HttpStatusCode.BadRequest, expected), await Answer(response));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_chunked_body_past_the_limit_is_refused_without_being_buffered()
    {
        using var http = new HttpClient();
        using HttpRequestMessage request = Signed("TrentService.ListKeys", "{}");
        request.Content = new PushStreamContent(AwsEndpointRouteBuilderExtensions.MaxBodyBytes + 64 * 1024);
        using HttpResponseMessage response = await http.SendAsync(request);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLargeException"), await Answer(response));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task A_slow_client_is_cut_off_and_the_endpoint_keeps_serving()
    {
        // Headers, then one byte of a 1,000-byte body, then nothing: under the minimum data rate.
        using var slowBody = new System.Net.Sockets.TcpClient();
        await slowBody.ConnectAsync(_url.Host, _url.Port);
        NetworkStream stream = slowBody.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: {_url.Authority}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 1000\r\n\r\n{{"));
        // Headers that never end.
        using var slowHeaders = new System.Net.Sockets.TcpClient();
        await slowHeaders.ConnectAsync(_url.Host, _url.Port);
        await slowHeaders.GetStream().WriteAsync(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\n"));

        await AssertStillServesAsync(); // while they hang

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string answer = await new StreamReader(stream).ReadToEndAsync(timeout.Token); // the server answers and closes
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        Assert.Contains("\"__type\":\"RequestTimeoutException\"", answer, StringComparison.Ordinal);
        Assert.Contains("x-amzn-ErrorType: RequestTimeoutException", answer, StringComparison.OrdinalIgnoreCase);

        // Kestrel answers headers that never end itself (408, no body: nothing reached the endpoint) and closes.
        string cut = await new StreamReader(slowHeaders.GetStream()).ReadToEndAsync(timeout.Token);
        Assert.True(cut.Length == 0 || cut.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), cut);
        await AssertStillServesAsync();
    }

    /// <summary>A body of <paramref name="length"/> bytes sent chunked (no Content-Length), as a client streaming an upload does.</summary>
    private sealed class PushStreamContent(int length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            byte[] chunk = new byte[64 * 1024];
            try
            {
                for (int sent = 0; sent < length; sent += chunk.Length)
                {
                    await stream.WriteAsync(chunk);
                }
            }
            catch (IOException)
            {
                // The server stopped reading once the body passed its limit.
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
