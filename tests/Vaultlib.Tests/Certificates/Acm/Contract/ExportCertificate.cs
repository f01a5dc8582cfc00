using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates.Acm;
using Vaultlib.Storage;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task ExportCertificate_gives_the_chain_and_a_key_openssl_decrypts_with_the_passphrase_and_that_matches_the_certificate()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca);
        byte[] passphrase = "correct horse battery"u8.ToArray();
        ExportCertificateResponse exported = await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = passphrase });
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", exported.PrivateKey, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", exported.ToString(), StringComparison.Ordinal);

        using var temp = new TestSupport.TempDirectory();
        File.WriteAllText(temp.Combine("key.pem"), exported.PrivateKey);
        File.WriteAllText(temp.Combine("leaf.pem"), exported.Certificate);
        string decrypted = OpenSsl("pkey -in key.pem -passin pass:\"correct horse battery\" -pubout -out key.pub", temp.Path);
        Assert.StartsWith("exit 0", decrypted, StringComparison.Ordinal);
        Assert.StartsWith("exit 0", OpenSsl("x509 -in leaf.pem -pubkey -noout -out cert.pub", temp.Path), StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(temp.Combine("cert.pub")), File.ReadAllText(temp.Combine("key.pub")));
        Assert.StartsWith("exit 1", OpenSsl("pkey -in key.pem -passin pass:wrong -noout", temp.Path), StringComparison.Ordinal);
        using X509Certificate2 chainRoot = X509Certificate2.CreateFromPem(exported.CertificateChain);
        Assert.Equal("CN=Vaultlib Test Root", chainRoot.Subject);

        // Exported, it is eligible for managed renewal, as in AWS; neither the passphrase nor the key is audited.
        Assert.Equal(RenewalEligibility.ELIGIBLE, (await Describe(arn)).RenewalEligibility);
        var needles = new TestSupport.SecretNeedles();
        needles.Add("passphrase", passphrase);
        using ECDsa key = ECDsa.Create();
        key.ImportFromEncryptedPem(exported.PrivateKey, passphrase);
        needles.Add("private scalar", key.ExportParameters(true).D!);
        needles.Add("encrypted key", Encoding.ASCII.GetBytes(exported.PrivateKey[40..120]));
        Assert.Contains(Audit.Events, e => e.EventName == "ExportCertificate");
        Assert.DoesNotContain(Audit.Events, e => needles.FoundIn(e.ToJson()).Count > 0);

        // Nothing in the store is the key in plaintext.
        foreach (StoredRecord stored in (await SharedVault.Store.ReadAllAsync("acm/us-east-1/111122223333")).Records)
        {
            Assert.Empty(needles.FoundIn(stored.Data.Span));
        }
    }

    [Fact]
    public async Task ExportCertificate_refuses_a_short_or_long_passphrase_and_a_public_certificate_not_requested_exportable()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca);
        Assert.Equal("Passphrase", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "abc"u8.ToArray() }))).MemberName);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = new byte[129] }));
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "abcd"u8.ToArray() });
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = new byte[128] });

        string dns = await IssuedDns();
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = dns, Passphrase = "passphrase"u8.ToArray() }));

        string exportable = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "export.example.com", ValidationMethod = ValidationMethod.DNS, Options = new CertificateOptions { Export = CertificateExport.ENABLED } })).CertificateArn;
        await PublishRecords(exportable);
        await RunDue();
        ExportCertificateResponse exported = await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = exportable, Passphrase = "passphrase"u8.ToArray() });
        using X509Certificate2 root = await Acm.GetLocalRootCertificateAsync();
        Assert.Equal(root.RawData, X509Certificate2.CreateFromPem(exported.CertificateChain).RawData);
    }

    [Fact]
    public async Task RevokeCertificate_revokes_an_exported_public_certificate_once()
    {
        string exportable = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "export.example.com", ValidationMethod = ValidationMethod.DNS, Options = new CertificateOptions { Export = CertificateExport.ENABLED } })).CertificateArn;
        await PublishRecords(exportable);
        await RunDue();
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateArn = exportable, RevocationReason = RevocationReason.KEY_COMPROMISE }));
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = exportable, Passphrase = "passphrase"u8.ToArray() });
        Assert.Equal(exportable, (await Acm.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateArn = exportable, RevocationReason = RevocationReason.KEY_COMPROMISE })).CertificateArn);
        CertificateDetail revoked = await Describe(exportable);
        Assert.Equal(CertificateStatus.REVOKED, revoked.Status);
        Assert.Equal(RevocationReason.KEY_COMPROMISE, revoked.RevocationReason);
        Assert.Equal(Clock.GetUtcNow(), revoked.RevokedAt);
        await Assert.ThrowsAsync<ConflictException>(() => Acm.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateArn = exportable, RevocationReason = RevocationReason.KEY_COMPROMISE }));
        Assert.Null(Acm.FindServerCertificate("export.example.com"));
    }
}
