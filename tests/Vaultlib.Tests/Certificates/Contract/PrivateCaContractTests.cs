using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Audit;
using Vaultlib.Certificates;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Certificates;

/// <summary>
/// The behaviour every <see cref="ICertificateAuthority"/> must have, as ACM Private CA has it, run against each store
/// (in memory, SQLite, PostgreSQL). One file per AWS operation (or lifecycle) in this folder.
/// </summary>
public abstract partial class PrivateCaContractTests : IDisposable
{
    protected const string Root = "arn:aws:acm-pca:::template/RootCACertificate/V1";
    protected const string EndEntity = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";
    private VaultlibHost? _host;
    private Vault? _vault;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected InMemoryAuditSink Audit { get; } = new();

    protected VaultlibHost Host => _host ??= new VaultlibHost(SharedVault, ownsVault: false, timeProvider: Clock, auditSink: Audit);

    protected Vault SharedVault => _vault ??= Vaults.Create(Clock);

    protected PrivateCertificateAuthority Pca => Host.CertificateAuthority;

    protected abstract ContractVaults Vaults { get; }

    public void Dispose()
    {
        _host?.Dispose();
        Vaults.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static CertificateAuthorityConfiguration Config(KeyAlgorithm key = KeyAlgorithm.EC_prime256v1, SigningAlgorithm? signing = null, string cn = "Vaultlib Test Root") => new()
    {
        KeyAlgorithm = key,
        SigningAlgorithm = signing ?? (key.ToString().StartsWith("RSA", StringComparison.Ordinal) ? SigningAlgorithm.SHA256WITHRSA : SigningAlgorithm.SHA256WITHECDSA),
        Subject = new ASN1Subject { Country = "US", Organization = "Vaultlib", CommonName = cn },
    };

    /// <summary>A root CA made, self-issued and imported, as AWS's console does it: ACTIVE.</summary>
    protected async Task<string> ActiveRootAsync(KeyAlgorithm key = KeyAlgorithm.EC_prime256v1, int years = 10)
    {
        string arn = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(key), CertificateAuthorityType = CertificateAuthorityType.ROOT })).CertificateAuthorityArn;
        string csr = (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = arn })).Csr;
        SigningAlgorithm signing = Config(key).SigningAlgorithm;
        string certArn = (await Pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = arn, Csr = Encoding.ASCII.GetBytes(csr), SigningAlgorithm = signing, TemplateArn = Root, Validity = new Validity { Type = ValidityPeriodType.YEARS, Value = years } })).CertificateArn;
        string pem = (await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = arn, CertificateArn = certArn })).Certificate;
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = arn, Certificate = Encoding.ASCII.GetBytes(pem) });
        return arn;
    }

    /// <summary>A PEM CSR for a new EC key, with DNS names as subject alternative names.</summary>
    protected static (string Pem, ECDsa Key) Csr(string cn, params string[] dnsNames)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256);
        if (dnsNames.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (string name in dnsNames)
            {
                san.AddDnsName(name);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        return (request.CreateSigningRequestPem(), key);
    }

    protected Task<IssueCertificateResponse> Issue(string caArn, string csrPem, Validity? validity = null, string template = EndEntity, SigningAlgorithm signing = SigningAlgorithm.SHA256WITHECDSA, string? token = null, Validity? notBefore = null) =>
        Pca.IssueCertificateAsync(new IssueCertificateRequest
        {
            CertificateAuthorityArn = caArn,
            Csr = Encoding.ASCII.GetBytes(csrPem),
            SigningAlgorithm = signing,
            TemplateArn = template,
            Validity = validity ?? new Validity { Type = ValidityPeriodType.DAYS, Value = 30 },
            ValidityNotBefore = notBefore,
            IdempotencyToken = token,
        });

    protected async Task<X509Certificate2> Load(string caArn, string certArn) =>
        X509Certificate2.CreateFromPem((await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = caArn, CertificateArn = certArn })).Certificate);

    protected async Task<CertificateAuthority> Describe(string arn) =>
        (await Pca.DescribeCertificateAuthorityAsync(new DescribeCertificateAuthorityRequest { CertificateAuthorityArn = arn })).CertificateAuthority;

    protected static string OpenSsl(string arguments, string directory) => TestSupport.OpenSslTool.Run(arguments, directory);
}

public sealed class InMemoryPrivateCaTests : PrivateCaContractTests
{
    protected override ContractVaults Vaults { get; } = new InMemoryContractVaults();

    [Fact]
    public async Task A_CA_made_on_its_own_works_in_memory()
    {
        using var pca = new InMemoryPrivateCertificateAuthority(timeProvider: Clock);
        string arn = (await pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(), CertificateAuthorityType = CertificateAuthorityType.ROOT })).CertificateAuthorityArn;
        Assert.StartsWith("arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/", arn, StringComparison.Ordinal);
    }
}

public sealed class SqlitePrivateCaTests : PrivateCaContractTests
{
    protected override ContractVaults Vaults { get; } = new SqliteContractVaults();
}

public sealed class PostgreSqlPrivateCaTests : PrivateCaContractTests
{
    protected override ContractVaults Vaults { get; } = new PostgreSqlContractVaults();
}
