using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    /// <summary>A CA and a leaf it signs, valid around the fake clock's now.</summary>
    private (X509Certificate2 Ca, X509Certificate2 Leaf, ECDsa Key) Chain(string host = "imported.example.com", int days = 90, int startDays = -1)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Outside CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        X509Certificate2 ca = caRequest.CreateSelfSigned(Clock.GetUtcNow().AddDays(-10), Clock.GetUtcNow().AddYears(5));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        san.AddDnsName("alt." + host);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        X509Certificate2 leaf = request.Create(ca, Clock.GetUtcNow().AddDays(startDays), Clock.GetUtcNow().AddDays(days), [1, 2, 3, 4]);
        return (ca, leaf, key);
    }

    private static ReadOnlyMemory<byte> Pem(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public async Task ImportCertificate_keeps_a_certificate_with_its_key_and_chain_and_never_renews_it()
    {
        (X509Certificate2 ca, X509Certificate2 leaf, ECDsa key) = Chain();
        string arn = (await Acm.ImportCertificateAsync(new ImportCertificateRequest
        {
            Certificate = Pem(leaf.ExportCertificatePem()),
            PrivateKey = Pem(key.ExportPkcs8PrivateKeyPem()),
            CertificateChain = Pem(ca.ExportCertificatePem()),
            Tags = [new Tag { Key = "team", Value = "web" }],
        })).CertificateArn;
        CertificateDetail detail = await Describe(arn);
        Assert.Equal(CertificateType.IMPORTED, detail.Type);
        Assert.Equal(CertificateStatus.ISSUED, detail.Status);
        Assert.Equal(KeyAlgorithm.EC_prime256v1, detail.KeyAlgorithm);
        Assert.Equal(["imported.example.com", "alt.imported.example.com"], detail.SubjectAlternativeNames);
        Assert.Equal(Clock.GetUtcNow(), detail.ImportedAt);
        Assert.Equal("01:02:03:04", detail.Serial);
        Assert.Equal("CN=Outside CA", detail.Issuer);
        Assert.Null(detail.DomainValidationOptions);
        Assert.Equal(RenewalEligibility.INELIGIBLE, detail.RenewalEligibility);
        Assert.Equal([ExtendedKeyUsageName.TLS_WEB_SERVER_AUTHENTICATION], detail.ExtendedKeyUsages!.Select(e => e.Name));

        Vaultlib.Certificates.Acm.GetCertificateResponse got = await Acm.GetCertificateAsync(new Vaultlib.Certificates.Acm.GetCertificateRequest { CertificateArn = arn });
        Assert.Equal(leaf.RawData, X509Certificate2.CreateFromPem(got.Certificate).RawData);
        Assert.Equal(ca.RawData, X509Certificate2.CreateFromPem(got.CertificateChain).RawData);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = arn }));

        // Re-imported: same ARN, the new certificate; tags stay; tags cannot be given with a re-import.
        (X509Certificate2 _, X509Certificate2 next, ECDsa nextKey) = Chain(days: 200);
        Assert.Equal(arn, (await Acm.ImportCertificateAsync(new ImportCertificateRequest { CertificateArn = arn, Certificate = Pem(next.ExportCertificatePem()), PrivateKey = Pem(nextKey.ExportPkcs8PrivateKeyPem()) })).CertificateArn);
        Assert.Equal(Clock.GetUtcNow().AddDays(200), (await Describe(arn)).NotAfter);
        Assert.Equal("web", Assert.Single((await Acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = arn })).Tags).Value);
        await Assert.ThrowsAsync<InvalidParameterException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { CertificateArn = arn, Certificate = Pem(next.ExportCertificatePem()), PrivateKey = Pem(nextKey.ExportPkcs8PrivateKeyPem()), Tags = [new Tag { Key = "a", Value = "b" }] }));

        // An imported certificate past its NotAfter is EXPIRED, and is never renewed.
        Clock.Advance(TimeSpan.FromDays(200));
        await RunDue();
        Assert.Equal(CertificateStatus.EXPIRED, (await Describe(arn)).Status);
    }

    [Fact]
    public async Task ImportCertificate_refuses_a_mismatched_key_a_certificate_not_valid_now_and_a_chain_it_does_not_verify_up()
    {
        (X509Certificate2 ca, X509Certificate2 leaf, ECDsa key) = Chain();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Task Import(string certificate, string privateKey, string? chain = null) =>
            Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(certificate), PrivateKey = Pem(privateKey), CertificateChain = chain is null ? (ReadOnlyMemory<byte>?)null : Pem(chain) });

        Assert.Equal("PrivateKey", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(leaf.ExportCertificatePem(), other.ExportPkcs8PrivateKeyPem()))).MemberName);
        Assert.Equal("PrivateKey", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(leaf.ExportCertificatePem(), key.ExportEncryptedPkcs8PrivateKeyPem("pw"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000))))).MemberName);
        Assert.Equal("PrivateKey", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(leaf.ExportCertificatePem(), "not a key"))).MemberName);
        Assert.Equal("Certificate", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(leaf.ExportCertificatePem() + ca.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem()))).MemberName);
        Assert.Equal("Certificate", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", key.ExportPkcs8PrivateKeyPem()))).MemberName);

        (X509Certificate2 _, X509Certificate2 future, ECDsa futureKey) = Chain(startDays: 1);
        Assert.Equal("Certificate", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(future.ExportCertificatePem(), futureKey.ExportPkcs8PrivateKeyPem()))).MemberName);
        (X509Certificate2 _, X509Certificate2 old, ECDsa oldKey) = Chain(days: 1);
        Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal("Certificate", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(old.ExportCertificatePem(), oldKey.ExportPkcs8PrivateKeyPem()))).MemberName);

        (X509Certificate2 strangerCa, X509Certificate2 _, ECDsa _) = Chain();
        Assert.Equal("CertificateChain", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Import(leaf.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), strangerCa.ExportCertificatePem()))).MemberName);
        Assert.Empty((await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = new Filters { KeyTypes = [KeyAlgorithm.EC_prime256v1] } })).CertificateSummaryList);

        // Re-importing over a requested certificate, or one that does not exist, is refused.
        string requested = await RequestDns();
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { CertificateArn = requested, Certificate = Pem(leaf.ExportCertificatePem()), PrivateKey = Pem(key.ExportPkcs8PrivateKeyPem()) }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { CertificateArn = requested[..^36] + Guid.NewGuid(), Certificate = Pem(leaf.ExportCertificatePem()), PrivateKey = Pem(key.ExportPkcs8PrivateKeyPem()) }));

        // An RSA certificate with a PKCS#1 key imports too.
        using var rsa = RSA.Create(3072);
        var rsaRequest = new CertificateRequest("CN=rsa.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 rsaCert = rsaRequest.CreateSelfSigned(Clock.GetUtcNow().AddDays(-1), Clock.GetUtcNow().AddDays(30));
        string rsaArn = (await Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(rsaCert.ExportCertificatePem()), PrivateKey = Pem(rsa.ExportRSAPrivateKeyPem()) })).CertificateArn;
        CertificateDetail detail = await Describe(rsaArn);
        Assert.Equal(KeyAlgorithm.RSA_3072, detail.KeyAlgorithm);
        Assert.Equal(["rsa.example.com"], detail.SubjectAlternativeNames);
    }

    [Fact]
    public async Task ImportCertificate_checks_sizes_the_first_valid_second_and_the_domains_a_certificate_names()
    {
        (X509Certificate2 _, X509Certificate2 leaf, ECDsa key) = Chain();
        string pem = leaf.ExportCertificatePem(), keyPem = key.ExportPkcs8PrivateKeyPem();
        Assert.Equal("Certificate", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = ReadOnlyMemory<byte>.Empty, PrivateKey = Pem(keyPem) }))).MemberName);
        Assert.Equal("PrivateKey", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(pem), PrivateKey = new byte[5_121] }))).MemberName);
        Assert.Equal("CertificateChain", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(pem), PrivateKey = Pem(keyPem), CertificateChain = ReadOnlyMemory<byte>.Empty }))).MemberName);
        Assert.Equal("CertificateArn", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { CertificateArn = "arn:short", Certificate = Pem(pem), PrivateKey = Pem(keyPem) }))).MemberName);
        Assert.Equal("Tags", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(pem), PrivateKey = Pem(keyPem), Tags = [] }))).MemberName);

        // Valid from this very second: imported.
        using var now = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 fresh = new CertificateRequest("CN=fresh.example.com", now, HashAlgorithmName.SHA256).CreateSelfSigned(Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(1));
        CertificateDetail freshDetail = await Describe((await Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(fresh.ExportCertificatePem()), PrivateKey = Pem(now.ExportPkcs8PrivateKeyPem()) })).CertificateArn);
        Assert.Equal(["fresh.example.com"], freshDetail.SubjectAlternativeNames);

        // The common name comes first, once, whatever the order of the alternative names; with neither, the subject.
        async Task<IReadOnlyList<string>> DomainsOf(string subject, params string[] dns)
        {
            using var k = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, k, HashAlgorithmName.SHA256);
            if (dns.Length > 0)
            {
                var san = new SubjectAlternativeNameBuilder();
                foreach (string d in dns)
                {
                    san.AddDnsName(d);
                }

                request.CertificateExtensions.Add(san.Build());
            }

            X509Certificate2 c = request.CreateSelfSigned(Clock.GetUtcNow().AddDays(-1), Clock.GetUtcNow().AddDays(1));
            string arn = (await Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(c.ExportCertificatePem()), PrivateKey = Pem(k.ExportPkcs8PrivateKeyPem()) })).CertificateArn;
            return (await Describe(arn)).SubjectAlternativeNames;
        }

        Assert.Equal(["b.example.com", "a.example.com"], await DomainsOf("CN=b.example.com", "a.example.com", "B.example.com"));
        Assert.Equal(["a.example.com", "c.example.com"], await DomainsOf("O=No Name", "a.example.com", "c.example.com"));
        Assert.Equal(["O=Only An Organization"], await DomainsOf("O=Only An Organization"));
    }

    [Fact]
    public async Task ImportCertificate_refuses_members_over_AWS_s_sizes_even_when_they_would_parse()
    {
        (X509Certificate2 _, X509Certificate2 leaf, ECDsa key) = Chain();
        string pem = leaf.ExportCertificatePem(), keyPem = key.ExportPkcs8PrivateKeyPem();
        Assert.Equal("PrivateKey", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(pem), PrivateKey = Pem(keyPem + new string('\n', 5_121 - keyPem.Length)) }))).MemberName);
        Assert.Equal("Certificate", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(pem + new string('\n', 32_769 - pem.Length)), PrivateKey = Pem(keyPem) }))).MemberName);
        await Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = Pem(pem + new string('\n', 32_768 - pem.Length)), PrivateKey = Pem(keyPem + new string('\n', 5_120 - keyPem.Length)) });
    }
}
