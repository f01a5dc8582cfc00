using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates;

/// <summary>Contract tests: IssueCertificate and GetCertificate — the templates' extensions, the validity types, the errors and idempotency.</summary>
public abstract partial class PrivateCaContractTests
{
    [SkippableFact]
    public async Task An_end_entity_certificate_carries_the_CSR_s_subject_and_names_and_the_template_s_extensions()
    {
        string ca = await ActiveRootAsync();
        (string csr, _) = Csr("api.example.com", "api.example.com", "www.example.com");
        string arn = (await Issue(ca, csr)).CertificateArn;
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(ca)}/certificate/[0-9a-f]{{32}}$", arn);
        GetCertificateResponse got = await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = arn });
        using X509Certificate2 leaf = X509Certificate2.CreateFromPem(got.Certificate);
        using X509Certificate2 root = X509Certificate2.CreateFromPem(got.CertificateChain!);

        Assert.Equal("CN=api.example.com", leaf.Subject);
        Assert.Equal(root.Subject, leaf.Issuer);
        Assert.Equal(["api.example.com", "www.example.com"], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.Equal(
            root.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(),
            leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
        Assert.Equal(Clock.GetUtcNow().AddHours(-1), new DateTimeOffset(leaf.NotBefore.ToUniversalTime()));
        Assert.Equal(Clock.GetUtcNow().AddDays(30), new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));

        // It verifies against its root, in .NET and with openssl.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Clock.GetUtcNow().UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join(", ", chain.ChainStatus.Select(s => s.Status)));
        using var temp = new TestSupport.TempDirectory();
        File.WriteAllText(temp.Combine("root.pem"), got.CertificateChain);
        File.WriteAllText(temp.Combine("leaf.pem"), got.Certificate);
        Assert.Contains("leaf.pem: OK", OpenSsl($"verify -attime {Clock.GetUtcNow().ToUnixTimeSeconds()} -CAfile root.pem leaf.pem", temp.Path), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Server_and_client_templates_differ_in_extended_key_usage()
    {
        string ca = await ActiveRootAsync();
        using X509Certificate2 server = await Load(ca, (await Issue(ca, Csr("s").Pem, template: "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1")).CertificateArn);
        using X509Certificate2 client = await Load(ca, (await Issue(ca, Csr("c").Pem, template: "arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1")).CertificateArn);
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], client.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Issue(ca, Csr("x").Pem, template: "arn:aws:acm-pca:::template/CodeSigningCertificate/V1"));
    }

    [SkippableFact]
    public async Task Validity_is_read_as_AWS_reads_it_and_never_outlives_the_CA()
    {
        string ca = await ActiveRootAsync(years: 2);
        DateTimeOffset now = Clock.GetUtcNow();
        async Task<DateTimeOffset> NotAfter(Validity validity, Validity? notBefore = null)
        {
            using X509Certificate2 c = await Load(ca, (await Issue(ca, Csr("v").Pem, validity, notBefore: notBefore)).CertificateArn);
            return new DateTimeOffset(c.NotAfter.ToUniversalTime());
        }

        Assert.Equal(now.AddDays(7), await NotAfter(new Validity { Type = ValidityPeriodType.DAYS, Value = 7 }));
        Assert.Equal(now.AddMonths(13), await NotAfter(new Validity { Type = ValidityPeriodType.MONTHS, Value = 13 }));
        Assert.Equal(now.AddYears(1), await NotAfter(new Validity { Type = ValidityPeriodType.YEARS, Value = 1 }));
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 12, 0, 0, TimeSpan.Zero), await NotAfter(new Validity { Type = ValidityPeriodType.END_DATE, Value = 20260630120000 }));
        Assert.Equal(now.AddDays(3), await NotAfter(new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = now.AddDays(3).ToUnixTimeSeconds() }));
        using (X509Certificate2 later = await Load(ca, (await Issue(ca, Csr("later").Pem, new Validity { Type = ValidityPeriodType.DAYS, Value = 9 }, notBefore: new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = now.AddDays(2).ToUnixTimeSeconds() })).CertificateArn))
        {
            Assert.Equal(now.AddDays(2), new DateTimeOffset(later.NotBefore.ToUniversalTime()));
        }

        foreach (Validity bad in new Validity[]
        {
            new() { Type = ValidityPeriodType.YEARS, Value = 3 },
            new() { Type = ValidityPeriodType.DAYS, Value = 0 },
            new() { Type = ValidityPeriodType.END_DATE, Value = 20251231000000 },
            new() { Type = ValidityPeriodType.END_DATE, Value = 20261332000000 },
            new() { Type = ValidityPeriodType.MONTHS, Value = long.MaxValue },
        })
        {
            await Assert.ThrowsAsync<InvalidArgsException>(() => Issue(ca, Csr("bad").Pem, bad));
        }

        await Assert.ThrowsAsync<InvalidArgsException>(() => Issue(ca, Csr("bad").Pem, notBefore: new Validity { Type = ValidityPeriodType.DAYS, Value = 1 }));
    }

    [SkippableFact]
    public async Task Bad_CSRs_algorithms_and_states_are_refused_and_a_token_issues_once_a_minute()
    {
        string ca = await ActiveRootAsync();
        await Assert.ThrowsAsync<MalformedCSRException>(() => Issue(ca, "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"));
        string pem = Csr("t").Pem;
        int at = pem.IndexOf("-----END", StringComparison.Ordinal) - 10; // inside the signature
        string tampered = pem[..at] + (pem[at] == 'A' ? 'B' : 'A') + pem[(at + 1)..];
        await Assert.ThrowsAsync<MalformedCSRException>(() => Issue(ca, tampered));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Issue(ca, Csr("rsa").Pem, signing: SigningAlgorithm.SHA256WITHRSA));

        string first = (await Issue(ca, Csr("a").Pem, token: "t1")).CertificateArn;
        Assert.Equal(first, (await Issue(ca, Csr("b").Pem, token: "t1")).CertificateArn);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.NotEqual(first, (await Issue(ca, Csr("a").Pem, token: "t1")).CertificateArn);

        await Pca.UpdateCertificateAuthorityAsync(new UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = CertificateAuthorityStatus.DISABLED });
        await Assert.ThrowsAsync<InvalidStateException>(() => Issue(ca, Csr("off").Pem));
        Assert.Equal(CertificateAuthorityStatus.DISABLED, (await Describe(ca)).Status);
        await Pca.UpdateCertificateAuthorityAsync(new UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = CertificateAuthorityStatus.ACTIVE });
        await Issue(ca, Csr("on").Pem);
        await Assert.ThrowsAsync<InvalidArgsException>(() => Pca.UpdateCertificateAuthorityAsync(new UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = CertificateAuthorityStatus.PENDING_CERTIFICATE }));

        await Assert.ThrowsAsync<InvalidArnException>(() => Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/other/certificate/01" }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = ca + "/certificate/0123456789abcdef0123456789abcdef" }));
    }

    [SkippableFact]
    public async Task Revoking_records_the_reason_once()
    {
        string ca = await ActiveRootAsync();
        string arn = (await Issue(ca, Csr("r").Pem)).CertificateArn;
        using X509Certificate2 issued = await Load(ca, arn);
        string serial = string.Join(':', Convert.FromHexString(issued.SerialNumber).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(arn[^32..], issued.SerialNumber.ToLowerInvariant());
        await Pca.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = serial, RevocationReason = RevocationReason.KEY_COMPROMISE });
        await Assert.ThrowsAsync<RequestAlreadyProcessedException>(() => Pca.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = arn[^32..], RevocationReason = RevocationReason.SUPERSEDED }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Pca.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = "01:02", RevocationReason = RevocationReason.UNSPECIFIED }));

        // A revoked certificate is still returned, as AWS returns it.
        Assert.Contains("BEGIN CERTIFICATE", (await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = arn })).Certificate, StringComparison.Ordinal);
    }
}
