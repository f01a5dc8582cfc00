using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using Vaultlib.Certificates;

namespace Vaultlib.Benchmarks;

/// <summary>
/// Private CA against its baseline, in the same run: IssueCertificate of an EC P-256 end-entity certificate (EndEntityCertificate/V1,
/// 30 days, SHA256WITHECDSA, an in-memory vault) costs at most 1.5× loading the same CSR and building and signing the
/// same certificate (the same extensions) directly with <see cref="CertificateRequest"/>. Each iteration issues 256
/// certificates into a vault that starts with just the CA (a fresh host per iteration, not timed), so every iteration
/// measures the same vault sizes; how a write's cost grows with the vault's size is issue 16's measurement.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(256)]
public class CertificateBenchmarks
{
    private VaultlibHost _host = null!;
    private PrivateCertificateAuthority _pca = null!;
    private string _caArn = null!;
    private byte[] _csr = null!;
    private ECDsa _caKey = null!;
    private X509Certificate2 _caCertificate = null!;
    private IssueCertificateRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        NewCa();

        // The baseline signs with a key and certificate of its own of the same kind.
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = new CertificateRequest("CN=Bench Root", _caKey, HashAlgorithmName.SHA256);
        root.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        root.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(root.PublicKey, false));
        _caCertificate = root.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
    }

    [IterationSetup(Target = nameof(Issue))]
    public void FreshVault()
    {
        _host.Dispose();
        NewCa();
    }

    private void NewCa()
    {
        _host = new VaultlibHost();
        _pca = _host.CertificateAuthority;
        _caArn = _pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest
        {
            CertificateAuthorityConfiguration = new CertificateAuthorityConfiguration { KeyAlgorithm = KeyAlgorithm.EC_prime256v1, SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, Subject = new ASN1Subject { CommonName = "Bench Root" } },
            CertificateAuthorityType = CertificateAuthorityType.ROOT,
        }).GetAwaiter().GetResult().CertificateAuthorityArn;
        string caCsr = _pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = _caArn }).GetAwaiter().GetResult().Csr;
        string rootArn = _pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = _caArn, Csr = Encoding.ASCII.GetBytes(caCsr), SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, TemplateArn = "arn:aws:acm-pca:::template/RootCACertificate/V1", Validity = new Validity { Type = ValidityPeriodType.YEARS, Value = 10 } }).GetAwaiter().GetResult().CertificateArn;
        string rootPem = _pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = _caArn, CertificateArn = rootArn }).GetAwaiter().GetResult().Certificate;
        _pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = _caArn, Certificate = Encoding.ASCII.GetBytes(rootPem) }).GetAwaiter().GetResult();

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=api.example.com", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("api.example.com");
        csr.CertificateExtensions.Add(san.Build());
        _csr = Encoding.ASCII.GetBytes(csr.CreateSigningRequestPem());
        _request = new IssueCertificateRequest { CertificateAuthorityArn = _caArn, Csr = _csr, SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, Validity = new Validity { Type = ValidityPeriodType.DAYS, Value = 30 } };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        _caKey.Dispose();
        _caCertificate.Dispose();
    }

    [Benchmark(Baseline = true, Description = "CertificateRequest: load CSR, build, sign")]
    public byte[] Direct()
    {
        CertificateRequest csr = CertificateRequest.LoadSigningRequestPem(Encoding.ASCII.GetString(_csr), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        var request = new CertificateRequest(csr.SubjectName, csr.PublicKey, HashAlgorithmName.SHA256);
        foreach (X509Extension extension in csr.CertificateExtensions)
        {
            request.CertificateExtensions.Add(extension);
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(_caCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single()));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 issued = request.Create(_caCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), now.AddHours(-1), now.AddDays(30), serial);
        return issued.RawData;
    }

    [Benchmark(Description = "IssueCertificate (Private CA)")]
    public Task<IssueCertificateResponse> Issue() => _pca.IssueCertificateAsync(_request);
}
