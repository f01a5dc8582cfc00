using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.AspNetCore;
using Vaultlib.Certificates;
using Vaultlib.Certificates.Acm;
using Vaultlib.Tests.TestSupport;
using Acm = Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.AspNetCore;

/// <summary>A real Kestrel HTTPS server on loopback serving ACM's certificates through <see cref="KestrelCertificateExtensions"/>, and real TLS handshakes against it.</summary>
public sealed class KestrelCertificateTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private WebApplication _app = null!;
    private int _port;

    private CertificateManager Manager => _app.Services.GetRequiredService<CertificateManager>();

    private PrivateCertificateAuthority Pca => _app.Services.GetRequiredService<PrivateCertificateAuthority>();

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddVaultlib();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseVaultlibHttps(defaultHostName: "www.example.com")));
        _app = builder.Build();
        _app.MapGet("/", () => "hello over TLS");
        await _app.StartAsync();
        _port = LocalEndpoint.Address(_app).Port;
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_handshake_after_a_renewal_sees_the_renewed_certificate_with_no_restart()
    {
        (string subordinate, X509Certificate2 root) = await RootAndSubordinateAsync();
        string arn = (await Manager.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", CertificateAuthorityArn = subordinate, KeyAlgorithm = Acm.KeyAlgorithm.EC_prime256v1 })).CertificateArn;
        await Manager.AddInUseByAsync(arn, "kestrel:loopback");

        X509Certificate2 first = await HandshakeAsync("www.example.com", root);
        Assert.Equal((await Manager.GetCertificateAsync(new Acm.GetCertificateRequest { CertificateArn = arn })).Certificate.Trim(), first.ExportCertificatePem().Trim());

        // 60 days before it expires, the scheduler's work renews it; the next handshake gets the new one.
        DateTimeOffset notAfter = (await Manager.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.NotAfter!.Value;
        _clock.Advance(notAfter - TimeSpan.FromDays(60) - _clock.GetUtcNow());
        await Manager.ScheduledWork.RunDueAsync(CancellationToken.None);
        X509Certificate2 second = await HandshakeAsync("www.example.com", root);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.True(second.NotAfter > first.NotAfter);
        Assert.Equal(RenewalStatus.SUCCESS, (await Manager.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.RenewalSummary!.RenewalStatus);

        // And the HTTP request over it works.
        using var handler = new SocketsHttpHandler { ConnectCallback = async (_, ct) => { var s = new Socket(SocketType.Stream, ProtocolType.Tcp); await s.ConnectAsync(IPAddress.Loopback, _port, ct); return new NetworkStream(s, ownsSocket: true); } };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, _) => Trusted((X509Certificate2)certificate!, root, [.. chain!.ChainElements.Skip(1).Select(e => e.Certificate)], _clock.GetUtcNow());
        using var client = new HttpClient(handler);
        Assert.Equal("hello over TLS", await client.GetStringAsync(new Uri("https://www.example.com/")));
    }

    [Fact]
    public async Task A_host_no_issued_certificate_names_is_refused_in_the_handshake()
    {
        (string subordinate, X509Certificate2 root) = await RootAndSubordinateAsync();
        await Manager.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "*.example.com", CertificateAuthorityArn = subordinate, KeyAlgorithm = Acm.KeyAlgorithm.EC_prime256v1 });
        Assert.Contains("CN=*.example.com", (await HandshakeAsync("api.example.com", root)).Subject, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<IOException>(() => HandshakeAsync("www.other.org", root));
    }

    /// <summary>Connects, completes a TLS handshake for <paramref name="host"/>, checks the chain the server sent verifies up to <paramref name="root"/> (the intermediate comes from the server), and returns the server's certificate.</summary>
    private async Task<X509Certificate2> HandshakeAsync(string host, X509Certificate2 root)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _port);
        X509Certificate2? seen = null;
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                seen = new X509Certificate2((X509Certificate2)certificate!);
                X509Certificate2[] sent = [.. chain!.ChainElements.Skip(1).Select(e => e.Certificate)];
                return Trusted(seen, root, sent, _clock.GetUtcNow());
            },
        });
        return seen!;
    }

    private static bool Trusted(X509Certificate2 leaf, X509Certificate2 root, X509Certificate2[] extra, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.AddRange(extra);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(leaf) && chain.ChainElements.Count == 3;
    }

    /// <summary>A root CA and a subordinate it signs (PathLen0), both ACTIVE; returns the subordinate's ARN and the root certificate.</summary>
    private async Task<(string Subordinate, X509Certificate2 Root)> RootAndSubordinateAsync()
    {
        async Task<string> CreateAsync(CertificateAuthorityType type, string name) => (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest
        {
            CertificateAuthorityConfiguration = new CertificateAuthorityConfiguration { KeyAlgorithm = Vaultlib.Certificates.KeyAlgorithm.EC_prime256v1, SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, Subject = new ASN1Subject { CommonName = name } },
            CertificateAuthorityType = type,
        })).CertificateAuthorityArn;

        async Task<string> IssueAsync(string issuer, string csrOf, string template, int years)
        {
            string csr = (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = csrOf })).Csr;
            string certArn = (await Pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = issuer, Csr = Encoding.ASCII.GetBytes(csr), SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, TemplateArn = $"arn:aws:acm-pca:::template/{template}/V1", Validity = new Validity { Type = ValidityPeriodType.YEARS, Value = years } })).CertificateArn;
            return (await Pca.GetCertificateAsync(new Vaultlib.Certificates.GetCertificateRequest { CertificateAuthorityArn = issuer, CertificateArn = certArn })).Certificate;
        }

        string root = await CreateAsync(CertificateAuthorityType.ROOT, "Loopback Root");
        string rootPem = await IssueAsync(root, root, "RootCACertificate", 10);
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = root, Certificate = Encoding.ASCII.GetBytes(rootPem) });
        string subordinate = await CreateAsync(CertificateAuthorityType.SUBORDINATE, "Loopback Issuing CA");
        string subPem = await IssueAsync(root, subordinate, "SubordinateCACertificate_PathLen0", 5);
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = subordinate, Certificate = Encoding.ASCII.GetBytes(subPem), CertificateChain = Encoding.ASCII.GetBytes(rootPem) });
        return (subordinate, X509Certificate2.CreateFromPem(rootPem));
    }
}
