using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Certificates;
using Vaultlib.DependencyInjection;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AspNetCore;

/// <summary>A real Kestrel server on a loopback port with Vaultlib registered, its endpoints mapped by the test, and an ACTIVE root CA made through the API.</summary>
internal sealed class LoopbackCa : IAsyncDisposable
{
    private LoopbackCa(WebApplication app, string host)
    {
        App = app;
        Host = host;
        Pca = app.Services.GetRequiredService<PrivateCertificateAuthority>();
    }

    public WebApplication App { get; }

    /// <summary>The server's <c>127.0.0.1:port</c>.</summary>
    public string Host { get; }

    public PrivateCertificateAuthority Pca { get; }

    public static async Task<LoopbackCa> StartAsync(Action<WebApplication> map, TimeProvider? clock = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddVaultlib();
        WebApplication app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LoopbackCa(app, LocalEndpoint.Address(app).Authority);
    }

    /// <summary>A root CA, self-issued for a year and imported; returns its ARN and certificate (PEM).</summary>
    public async Task<(string Arn, string CertificatePem)> ActiveRootAsync(KeyAlgorithm key, SigningAlgorithm signing, RevocationConfiguration revocation)
    {
        string ca = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest
        {
            CertificateAuthorityConfiguration = new CertificateAuthorityConfiguration { KeyAlgorithm = key, SigningAlgorithm = signing, Subject = new ASN1Subject { CommonName = "Loopback Root" } },
            CertificateAuthorityType = CertificateAuthorityType.ROOT,
            RevocationConfiguration = revocation,
        })).CertificateAuthorityArn;
        string csr = (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = ca })).Csr;
        string rootArn = (await Pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = ca, Csr = Encoding.ASCII.GetBytes(csr), SigningAlgorithm = signing, TemplateArn = "arn:aws:acm-pca:::template/RootCACertificate/V1", Validity = new Validity { Type = ValidityPeriodType.YEARS, Value = 1 } })).CertificateArn;
        string pem = (await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = rootArn })).Certificate;
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = ca, Certificate = Encoding.ASCII.GetBytes(pem) });
        return (ca, pem);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
