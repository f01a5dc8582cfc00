using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Audit;
using Vaultlib.Certificates.Acm;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;
using Pki = Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates.Acm;

/// <summary>
/// The behaviour every <see cref="ICertificateManager"/> must have, as ACM has it, run against each store (in memory,
/// SQLite, PostgreSQL), with a real DNS server on loopback for DNS validation and a collecting mail sender for email
/// validation. One file per AWS operation (or lifecycle) in this folder.
/// </summary>
public abstract partial class AcmContractTests : IDisposable
{
    private VaultlibHost? _host;
    private Vault? _vault;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected InMemoryAuditSink Audit { get; } = new();

    protected LoopbackDnsServer Dns { get; } = new();

    protected InMemoryValidationEmailSender Mail { get; } = new();

    protected VaultlibHost Host => _host ??= NewHost();

    protected Vault SharedVault => _vault ??= Vaults.Create(Clock);

    protected CertificateManager Acm => Host.CertificateManager;

    protected Pki.PrivateCertificateAuthority Pca => Host.CertificateAuthority;

    protected abstract ContractVaults Vaults { get; }

    /// <summary>A host over the shared vault, validating through the loopback DNS server and the collecting mail sender.</summary>
    protected VaultlibHost NewHost() => new(SharedVault, ownsVault: false, timeProvider: Clock, auditSink: Audit)
    {
        CertificateManagerSettings = new CertificateManagerSettings { DnsResolver = new DnsClientValidationResolver(Dns.EndPoint), EmailSender = Mail, DnsCheckInterval = TimeSpan.FromMinutes(5) },
    };

    public void Dispose()
    {
        _host?.Dispose();
        Vaults.Dispose();
        Dns.Dispose();
        GC.SuppressFinalize(this);
    }

    protected async Task<string> RequestDns(string domain = "www.example.com", KeyAlgorithm? key = null, params string[] more) =>
        (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = domain, ValidationMethod = ValidationMethod.DNS, KeyAlgorithm = key, SubjectAlternativeNames = more.Length == 0 ? null : more })).CertificateArn;

    protected async Task<CertificateDetail> Describe(string arn) => (await Acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate;

    /// <summary>Adds every validation record the certificate asks for to the loopback zone.</summary>
    protected async Task PublishRecords(string arn)
    {
        foreach (DomainValidation v in (await Describe(arn)).DomainValidationOptions!)
        {
            Dns.AddCname(v.ResourceRecord!.Name, v.ResourceRecord.Value);
        }
    }

    /// <summary>Runs ACM's due work, as the scheduler would.</summary>
    protected async Task RunDue() => await Acm.ScheduledWork.RunDueAsync(CancellationToken.None);

    /// <summary>A DNS-validated certificate, issued.</summary>
    protected async Task<string> IssuedDns(string domain = "www.example.com", KeyAlgorithm? key = null)
    {
        string arn = await RequestDns(domain, key);
        await PublishRecords(arn);
        await RunDue();
        Assert.Equal(CertificateStatus.ISSUED, (await Describe(arn)).Status);
        return arn;
    }

    /// <summary>An ACTIVE Private CA root (EC P-256 unless asked), made as AWS's console makes one.</summary>
    protected async Task<string> ActiveRootAsync(Pki.KeyAlgorithm key = Pki.KeyAlgorithm.EC_prime256v1)
    {
        Pki.SigningAlgorithm signing = key.ToString().StartsWith("RSA", StringComparison.Ordinal) ? Pki.SigningAlgorithm.SHA256WITHRSA : Pki.SigningAlgorithm.SHA256WITHECDSA;
        string arn = (await Pca.CreateCertificateAuthorityAsync(new Pki.CreateCertificateAuthorityRequest
        {
            CertificateAuthorityConfiguration = new Pki.CertificateAuthorityConfiguration { KeyAlgorithm = key, SigningAlgorithm = signing, Subject = new Pki.ASN1Subject { CommonName = "Vaultlib Test Root" } },
            CertificateAuthorityType = Pki.CertificateAuthorityType.ROOT,
        })).CertificateAuthorityArn;
        string csr = (await Pca.GetCertificateAuthorityCsrAsync(new Pki.GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = arn })).Csr;
        string certArn = (await Pca.IssueCertificateAsync(new Pki.IssueCertificateRequest { CertificateAuthorityArn = arn, Csr = Encoding.ASCII.GetBytes(csr), SigningAlgorithm = signing, TemplateArn = "arn:aws:acm-pca:::template/RootCACertificate/V1", Validity = new Pki.Validity { Type = Pki.ValidityPeriodType.YEARS, Value = 10 } })).CertificateArn;
        string pem = (await Pca.GetCertificateAsync(new Pki.GetCertificateRequest { CertificateAuthorityArn = arn, CertificateArn = certArn })).Certificate;
        await Pca.ImportCertificateAuthorityCertificateAsync(new Pki.ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = arn, Certificate = Encoding.ASCII.GetBytes(pem) });
        return arn;
    }

    protected async Task<string> RequestPrivate(string caArn, string domain = "api.internal.example", KeyAlgorithm? key = KeyAlgorithm.EC_prime256v1) =>
        (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = domain, CertificateAuthorityArn = caArn, KeyAlgorithm = key })).CertificateArn;

    protected async Task<X509Certificate2> Leaf(string arn) =>
        X509Certificate2.CreateFromPem((await Acm.GetCertificateAsync(new Vaultlib.Certificates.Acm.GetCertificateRequest { CertificateArn = arn })).Certificate);

    protected static string OpenSsl(string arguments, string directory) => TestSupport.OpenSslTool.Run(arguments, directory);

    /// <summary>Events delivered to a subscriber, waited for (delivery is on the dispatcher's task).</summary>
    protected static async Task<List<CertificateManagerEvent>> Settle(List<CertificateManagerEvent> seen, int atLeast)
    {
        for (int i = 0; i < 200; i++)
        {
            lock (seen)
            {
                if (seen.Count >= atLeast)
                {
                    return [.. seen];
                }
            }

            await Task.Delay(10);
        }

        lock (seen)
        {
            return [.. seen];
        }
    }
}

public sealed class InMemoryAcmTests : AcmContractTests
{
    protected override ContractVaults Vaults { get; } = new InMemoryContractVaults();

    [Fact]
    public async Task A_manager_made_on_its_own_works_in_memory()
    {
        using var acm = new InMemoryCertificateManager(timeProvider: Clock, settings: new CertificateManagerSettings { DnsResolver = new DnsClientValidationResolver(Dns.EndPoint), EmailSender = Mail });
        string arn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;
        Assert.StartsWith("arn:aws:acm:us-east-1:111122223333:certificate/", arn, StringComparison.Ordinal);
        Assert.Equal("CertificateManager(us-east-1, 111122223333)", acm.ToString());
    }
}

public sealed class SqliteAcmTests : AcmContractTests
{
    protected override ContractVaults Vaults { get; } = new SqliteContractVaults();
}

public sealed class PostgreSqlAcmTests : AcmContractTests
{
    protected override ContractVaults Vaults { get; } = new PostgreSqlContractVaults();
}
