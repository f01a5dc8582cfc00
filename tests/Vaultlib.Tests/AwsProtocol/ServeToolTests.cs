using System.Text;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;
using Microsoft.AspNetCore.Builder;
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
        return (app, LocalEndpoint.Address(app));
    }

    [Fact]
    public async Task Serve_answers_health_and_AWS_over_a_SQLite_vault_that_outlives_it()
    {
        using var temp = new TempDirectory();
        await AssertOutlivesRestartAsync(["--sqlite", temp.Combine("vault.db"), "--root-key-file", LocalEndpoint.RootKeyFile(temp), "--region", "eu-west-1"]);
    }

    [SkippableFact]
    public async Task Serve_answers_AWS_over_a_PostgreSQL_vault_that_outlives_it()
    {
        PostgreSqlServer.Require();
        using var temp = new TempDirectory();
        string schema = PostgreSqlServer.NewSchema();
        try
        {
            await AssertOutlivesRestartAsync(["--postgres", PostgreSqlServer.ConnectionString!, "--postgres-schema", schema, "--root-key-file", LocalEndpoint.RootKeyFile(temp), "--region", "eu-west-1"]);
        }
        finally
        {
            await PostgreSqlServer.DropSchemaAsync(schema);
        }
    }

    /// <summary>An HTTP handler that trusts only the root in <paramref name="caPemFile"/> (the endpoint's own CA), and whatever else <paramref name="also"/> checks.</summary>
    private static HttpClientHandler TrustingOnly(string caPemFile, Func<System.Security.Cryptography.X509Certificates.X509Certificate2, bool>? also = null)
    {
        var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(caPemFile));
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(certificate!) && (also?.Invoke(certificate!) ?? true);
            },
        };
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
        string[] options = ["--urls", "https://127.0.0.1:0", "--ca-bundle", temp.Combine("ca.pem"), "--sqlite", temp.Combine("vault.db"), "--root-key-file", LocalEndpoint.RootKeyFile(temp)];
        string? firstThumbprint = null;
        for (int run = 0; run < 2; run++)
        {
            WebApplication app = VaultlibServer.Build(["--access-key-id", "AKIATOOL", "--secret-access-key", "tool-secret", .. options]);
            await app.StartAsync();
            await using (app)
            {
                Uri url = LocalEndpoint.Address(app);
                string? seen = null;
                using HttpClientHandler handler = TrustingOnly(temp.Combine("ca.pem"), certificate =>
                {
                    seen = certificate.Thumbprint;
                    return certificate.MatchesHostname("127.0.0.1") && certificate.MatchesHostname("localhost");
                });
                using var http = new HttpClient(handler);
                Assert.Equal("ok\n", await http.GetStringAsync(new Uri(url, "/health")));
                firstThumbprint ??= seen;
                Assert.Equal(firstThumbprint, seen); // made once, kept in the store
                await app.StopAsync();
            }
        }
    }

    [Fact]
    public async Task Key_policies_see_aws_SecureTransport_and_aws_SourceIp_from_the_connection()
    {
        using var temp = new TempDirectory();
        WebApplication app = VaultlibServer.Build(["--urls", "http://127.0.0.1:0;https://127.0.0.1:0", "--ca-bundle", temp.Combine("ca.pem"), "--access-key-id", "AKIATOOL", "--secret-access-key", "tool-secret", "--principal", "arn:aws:iam::111122223333:user/tool", "--audit-log", temp.Combine("audit.jsonl")]);
        await app.StartAsync();
        await using (app)
        {
            Uri[] urls = LocalEndpoint.Addresses(app);
            Uri http = urls.Single(u => u.Scheme == "http"), https = urls.Single(u => u.Scheme == "https");
            Vaultlib.Keys.KeyService kms = app.Services.GetRequiredService<VaultlibHost>().GetKeyService("us-east-1");
            string policy = """
                {"Version":"2012-10-17","Statement":[
                  {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::111122223333:user/tool"]},"Action":"kms:*","Resource":"*"},
                  {"Effect":"Deny","Principal":"*","Action":"kms:Encrypt","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
                  {"Effect":"Deny","Principal":"*","Action":"kms:GenerateDataKey","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
                  {"Effect":"Deny","Principal":"*","Action":"kms:GenerateMac","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"127.0.0.1/32"}}}
                ]}
                """;
            string keyId = (await kms.CreateKeyAsync(new Vaultlib.Keys.CreateKeyRequest { Policy = policy })).KeyMetadata.KeyId;
            using HttpClientHandler handler = TrustingOnly(temp.Combine("ca.pem"));
            using var client = new HttpClient(handler);

            async Task<string?> Call(Uri url, string target, string json)
            {
                using HttpRequestMessage request = TestSigner.Http("AKIATOOL", "tool-secret", "us-east-1", "kms", target, json, DateTimeOffset.UtcNow, url);
                using HttpResponseMessage response = await client.SendAsync(request);
                return response.IsSuccessStatusCode ? null : response.Headers.GetValues("x-amzn-ErrorType").Single();
            }

            string encrypt = $$"""{"KeyId":"{{keyId}}","Plaintext":"aGk="}""";
            Assert.Equal("AccessDeniedException", await Call(http, "TrentService.Encrypt", encrypt));
            Assert.Null(await Call(https, "TrentService.Encrypt", encrypt));
            Assert.Equal("AccessDeniedException", await Call(https, "TrentService.GenerateDataKey", $$"""{"KeyId":"{{keyId}}","KeySpec":"AES_256"}"""));
            Assert.Null(await Call(http, "TrentService.DescribeKey", $$"""{"KeyId":"{{keyId}}"}"""));
            await app.StopAsync();
            await app.DisposeAsync(); // flushes the audit log

            // The audit trail names the principal the access key stands for and the connection's address.
            string[] lines = File.ReadAllLines(temp.Combine("audit.jsonl"));
            string describe = lines.Single(l => l.Contains("\"eventName\":\"DescribeKey\"", StringComparison.Ordinal));
            Assert.Contains("\"arn\":\"arn:aws:iam::111122223333:user/tool\"", describe, StringComparison.Ordinal);
            Assert.Contains("\"sourceIPAddress\":\"127.0.0.1\"", describe, StringComparison.Ordinal);
            Assert.DoesNotContain(lines, l => l.Contains("tool-secret", StringComparison.Ordinal) || l.Contains("aGk=", StringComparison.Ordinal));
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
