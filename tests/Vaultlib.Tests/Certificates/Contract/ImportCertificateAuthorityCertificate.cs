using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates;
using Vaultlib.Storage;

namespace Vaultlib.Tests.Certificates;

/// <summary>Contract tests: ImportCertificateAuthorityCertificate — subordinate CAs signed by a Vaultlib root or by anyone else, and what is refused.</summary>
public abstract partial class PrivateCaContractTests
{
    private async Task<(string Arn, string CsrPem)> PendingSubordinateAsync(KeyAlgorithm key = KeyAlgorithm.RSA_2048)
    {
        string arn = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(key, cn: "Vaultlib Issuing CA"), CertificateAuthorityType = CertificateAuthorityType.SUBORDINATE })).CertificateAuthorityArn;
        return (arn, (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = arn })).Csr);
    }

    [SkippableFact]
    public async Task A_subordinate_signed_by_a_Vaultlib_root_issues_certificates_whose_chain_openssl_verifies()
    {
        string root = await ActiveRootAsync();
        (string sub, string subCsr) = await PendingSubordinateAsync();
        string subCertArn = (await Issue(root, subCsr, new Validity { Type = ValidityPeriodType.YEARS, Value = 5 }, template: "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1")).CertificateArn;
        GetCertificateResponse subCert = await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = root, CertificateArn = subCertArn });
        using (X509Certificate2 parsed = X509Certificate2.CreateFromPem(subCert.Certificate))
        {
            X509BasicConstraintsExtension constraints = parsed.Extensions.OfType<X509BasicConstraintsExtension>().Single();
            Assert.True(constraints.CertificateAuthority && constraints.HasPathLengthConstraint && constraints.PathLengthConstraint == 0);
        }

        await Assert.ThrowsAsync<InvalidRequestException>(() => Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(subCert.Certificate) }));
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(subCert.Certificate), CertificateChain = Encoding.ASCII.GetBytes(subCert.CertificateChain!) });
        Assert.Equal(CertificateAuthorityStatus.ACTIVE, (await Describe(sub)).Status);
        Assert.Equal(subCert.CertificateChain, (await Pca.GetCertificateAuthorityCertificateAsync(new GetCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub })).CertificateChain);

        // Path length 0: the subordinate issues end entities, not more CAs.
        await Assert.ThrowsAsync<InvalidArgsException>(() => Issue(sub, Csr("ca").Pem, template: "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1", signing: SigningAlgorithm.SHA256WITHRSA));
        GetCertificateResponse leaf = await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = sub, CertificateArn = (await Issue(sub, Csr("svc.internal", "svc.internal").Pem, signing: SigningAlgorithm.SHA384WITHRSA)).CertificateArn });
        using var temp = new TestSupport.TempDirectory();
        string[] chain = leaf.CertificateChain!.Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length > 0).Select(p => p + "\n-----END CERTIFICATE-----\n").ToArray();
        Assert.Equal(2, chain.Length);
        File.WriteAllText(temp.Combine("root.pem"), chain[1]);
        File.WriteAllText(temp.Combine("sub.pem"), chain[0]);
        File.WriteAllText(temp.Combine("leaf.pem"), leaf.Certificate);
        Assert.Contains("leaf.pem: OK", OpenSsl($"verify -attime {Clock.GetUtcNow().ToUnixTimeSeconds()} -CAfile root.pem -untrusted sub.pem leaf.pem", temp.Path), StringComparison.Ordinal);
        Assert.Contains("sha384WithRSAEncryption", OpenSsl("x509 -in leaf.pem -noout -text", temp.Path), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_subordinate_signed_by_someone_else_s_root_is_imported_with_that_chain()
    {
        (string sub, string subCsr) = await PendingSubordinateAsync(KeyAlgorithm.EC_secp384r1);
        using var outsideKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Outside Root", outsideKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 outsideRoot = rootRequest.CreateSelfSigned(Clock.GetUtcNow().AddDays(-1), Clock.GetUtcNow().AddYears(10));
        CertificateRequest csr = CertificateRequest.LoadSigningRequestPem(subCsr, HashAlgorithmName.SHA384);
        csr.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        csr.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 signed = csr.Create(outsideRoot, Clock.GetUtcNow().AddDays(-1), Clock.GetUtcNow().AddYears(3), [7, 7, 7]);

        // Against a chain it does not verify with: refused; with its own root: ACTIVE.
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 stranger = new CertificateRequest("CN=Outside Root", strangerKey, HashAlgorithmName.SHA256).CreateSelfSigned(Clock.GetUtcNow().AddDays(-1), Clock.GetUtcNow().AddYears(10));
        await Assert.ThrowsAsync<CertificateMismatchException>(() => Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(signed.ExportCertificatePem()), CertificateChain = Encoding.ASCII.GetBytes(stranger.ExportCertificatePem()) }));
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(signed.ExportCertificatePem()), CertificateChain = Encoding.ASCII.GetBytes(outsideRoot.ExportCertificatePem()) });
        Assert.Equal(CertificateAuthorityStatus.ACTIVE, (await Describe(sub)).Status);
        using X509Certificate2 leaf = await Load(sub, (await Issue(sub, Csr("inside").Pem, signing: SigningAlgorithm.SHA384WITHECDSA)).CertificateArn);
        Assert.Equal("CN=Outside Root", outsideRoot.Subject);
        Assert.Equal(signed.Subject, leaf.Issuer);
    }

    [SkippableFact]
    public async Task Certificates_that_are_not_the_CA_s_or_not_certificates_are_refused()
    {
        string root = await ActiveRootAsync();
        (string sub, string subCsr) = await PendingSubordinateAsync();
        await Assert.ThrowsAsync<MalformedCertificateException>(() => Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = "not a certificate"u8.ToArray() }));

        // Another CA's certificate (another key and subject) is a mismatch.
        string rootPem = (await Pca.GetCertificateAuthorityCertificateAsync(new GetCertificateAuthorityCertificateRequest { CertificateAuthorityArn = root })).Certificate;
        await Assert.ThrowsAsync<CertificateMismatchException>(() => Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(rootPem), CertificateChain = Encoding.ASCII.GetBytes(rootPem) }));

        // The CA's own key and subject, but an end-entity certificate: not a CA certificate.
        string endEntity = (await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = root, CertificateArn = (await Issue(root, subCsr, signing: SigningAlgorithm.SHA256WITHECDSA)).CertificateArn })).Certificate;
        await Assert.ThrowsAsync<InvalidRequestException>(() => Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(endEntity), CertificateChain = Encoding.ASCII.GetBytes(rootPem) }));
        Assert.Equal(CertificateAuthorityStatus.PENDING_CERTIFICATE, (await Describe(sub)).Status);
    }

    [SkippableFact]
    public async Task Another_instance_over_the_vault_signs_with_the_same_key_and_the_key_is_never_plaintext_at_rest()
    {
        string ca = await ActiveRootAsync(KeyAlgorithm.EC_secp384r1);
        using (var second = new VaultlibHost(SharedVault, ownsVault: false, timeProvider: Clock))
        {
            string arn = (await second.CertificateAuthority.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = ca, Csr = Encoding.ASCII.GetBytes(Csr("elsewhere").Pem), SigningAlgorithm = SigningAlgorithm.SHA384WITHECDSA, Validity = new Validity { Type = ValidityPeriodType.DAYS, Value = 1 } })).CertificateArn;
            using X509Certificate2 leaf = await Load(ca, arn);
            using X509Certificate2 root = X509Certificate2.CreateFromPem((await Pca.GetCertificateAuthorityCertificateAsync(new GetCertificateAuthorityCertificateRequest { CertificateAuthorityArn = ca })).Certificate);
            Assert.Equal(root.Subject, leaf.Issuer);
        }

        byte[] pkcs8 = Pca.Table.KeyOf(Pca.Table.All.Single(c => c.Arn == ca)).ExportPkcs8PrivateKey();
        var needles = new TestSupport.SecretNeedles();
        needles.Add("CA private key", pkcs8);
        using ECDsa key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        needles.Add("CA private scalar", key.ExportParameters(true).D!);
        foreach (StoredRecord stored in (await SharedVault.Store.ReadAllAsync("acm-pca/us-east-1/111122223333")).Records)
        {
            Assert.Empty(needles.FoundIn(stored.Data.Span));
        }

        Assert.DoesNotContain(Audit.Events, e => needles.FoundIn(Encoding.UTF8.GetBytes(e.ToJson())).Count > 0);
    }
}
