using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Tests.TestSupport;
using Vaultlib.Tool;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary><c>vaultlib serve</c>'s application: health, the AWS endpoint over a SQLite vault that outlives it, and its usage errors.</summary>
public sealed class ServeToolTests
{
    private static async Task<(WebApplication App, Uri Url)> StartAsync(params string[] options)
    {
        WebApplication app = VaultlibServer.Build(["--urls", "http://127.0.0.1:0", "--access-key-id", "AKIATOOL", "--secret-access-key", "tool-secret", .. options]);
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()));
    }

    [Fact]
    public async Task Serve_answers_health_and_AWS_over_a_SQLite_vault_that_outlives_it()
    {
        using var temp = new TempDirectory();
        string keyFile = temp.Combine("root.key");
        File.WriteAllBytes(keyFile, TestData.RandomBytes(32));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the vault refuses a key file others can read
        }

        string[] store = ["--sqlite", temp.Combine("vault.db"), "--root-key-file", keyFile, "--region", "eu-west-1"];
        string keyId;
        byte[] ciphertext;
        (WebApplication app, Uri url) = await StartAsync(store);
        await using (app)
        {
            using var http = new HttpClient();
            Assert.Equal("ok\n", await http.GetStringAsync(new Uri(url, "/health")));
            using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("AKIATOOL", "tool-secret"), new AmazonKeyManagementServiceConfig { ServiceURL = url.ToString(), AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
            keyId = (await kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata.KeyId;
            ciphertext = (await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new MemoryStream(Encoding.UTF8.GetBytes("kept")) })).CiphertextBlob.ToArray();
            await app.StopAsync();
        }

        (WebApplication again, Uri url2) = await StartAsync(store);
        await using (again)
        {
            using var kms = new AmazonKeyManagementServiceClient(new BasicAWSCredentials("AKIATOOL", "tool-secret"), new AmazonKeyManagementServiceConfig { ServiceURL = url2.ToString(), AuthenticationRegion = "eu-west-1", MaxErrorRetry = 0 });
            DecryptResponse decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(ciphertext) });
            Assert.Equal("kept", Encoding.UTF8.GetString(decrypted.Plaintext.ToArray()));
            Assert.EndsWith(keyId, decrypted.KeyId, StringComparison.Ordinal);
            await again.StopAsync();
        }
    }

    [Fact]
    public async Task Serve_refuses_what_it_cannot_run_with_its_usage()
    {
        Assert.Equal(2, await VaultlibServer.RunAsync([]));
        Assert.Equal(2, await VaultlibServer.RunAsync(["serve", "--sqlite", "/tmp/x.db"]));
        Assert.Equal(2, await VaultlibServer.RunAsync(["serve", "--urls"]));
    }
}
