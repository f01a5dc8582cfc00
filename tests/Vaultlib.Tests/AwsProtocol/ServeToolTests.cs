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
        await AssertOutlivesRestartAsync(["--sqlite", temp.Combine("vault.db"), "--root-key-file", KeyFile(temp), "--region", "eu-west-1"]);
    }

    [SkippableFact]
    public async Task Serve_answers_AWS_over_a_PostgreSQL_vault_that_outlives_it()
    {
        PostgreSqlServer.Require();
        using var temp = new TempDirectory();
        string schema = PostgreSqlServer.NewSchema();
        try
        {
            await AssertOutlivesRestartAsync(["--postgres", PostgreSqlServer.ConnectionString!, "--postgres-schema", schema, "--root-key-file", KeyFile(temp), "--region", "eu-west-1"]);
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(schema);
        }
    }

    private static string KeyFile(TempDirectory temp)
    {
        string keyFile = temp.Combine("root.key");
        File.WriteAllBytes(keyFile, TestData.RandomBytes(32));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the vault refuses a key file others can read
        }

        return keyFile;
    }

    /// <summary>A key made and used through one run of the endpoint decrypts through the next, over the same store.</summary>
    private static async Task AssertOutlivesRestartAsync(string[] store)
    {
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
    public async Task Serve_over_HTTPS_presents_a_certificate_from_its_own_CA_and_keeps_it_across_restarts()
    {
        using var temp = new TempDirectory();
        string[] options = ["--urls", "https://127.0.0.1:0", "--ca-bundle", temp.Combine("ca.pem"), "--sqlite", temp.Combine("vault.db"), "--root-key-file", KeyFile(temp)];
        string? firstThumbprint = null;
        for (int run = 0; run < 2; run++)
        {
            WebApplication app = VaultlibServer.Build(["--access-key-id", "AKIATOOL", "--secret-access-key", "tool-secret", .. options]);
            await app.StartAsync();
            await using (app)
            {
                Uri url = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
                using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(temp.Combine("ca.pem")));
                string? seen = null;
                using var handler = new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                    {
                        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                        seen = certificate!.Thumbprint;
                        return chain.Build(certificate) && certificate.MatchesHostname("127.0.0.1") && certificate.MatchesHostname("localhost");
                    },
                };
                using var http = new HttpClient(handler);
                Assert.Equal("ok\n", await http.GetStringAsync(new Uri(url, "/health")));
                firstThumbprint ??= seen;
                Assert.Equal(firstThumbprint, seen); // made once, kept in the store
                await app.StopAsync();
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Unsigned_requests_are_refused_unless_anonymous_access_names_a_principal(bool anonymous)
    {
        (WebApplication app, Uri url) = await StartAsync(anonymous ? ["--anonymous-principal", "arn:aws:iam::111122223333:user/anonymous"] : []);
        await using (app)
        {
            using var http = new HttpClient();
            using var unsigned = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("""{"NumberOfBytes":8}""", Encoding.UTF8, "application/x-amz-json-1.1") };
            unsigned.Headers.Add("X-Amz-Target", "TrentService.GenerateRandom");
            using HttpResponseMessage response = await http.SendAsync(unsigned);
            string body = await response.Content.ReadAsStringAsync();
            // Anonymous callers are the named principal, whom no policy here allows anything.
            Assert.Equal(anonymous ? "AccessDeniedException" : "MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
            Assert.Equal(anonymous, body.Contains("user/anonymous", StringComparison.Ordinal));
            await app.StopAsync();
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
