using System.Net;
using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vaultlib.AwsProtocol;

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
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddVaultlib();
        builder.Services.AddSingleton(new AwsCredentials().Add(AccessKey, Secret, "arn:aws:iam::111122223333:root"));
        _app = builder.Build();
        _app.MapVaultlibAws();
        await _app.StartAsync();
        _url = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
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
}
