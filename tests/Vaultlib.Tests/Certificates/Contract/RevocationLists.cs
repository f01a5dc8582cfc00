using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates;

/// <summary>Contract tests: the CRL of a CA with <c>CrlConfiguration</c> enabled — its distribution point in issued certificates, its entries, and openssl's reading of it.</summary>
public abstract partial class PrivateCaContractTests
{
    private async Task<string> ActiveRootWithCrlAsync()
    {
        string arn = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest
        {
            CertificateAuthorityConfiguration = Config(),
            CertificateAuthorityType = CertificateAuthorityType.ROOT,
            RevocationConfiguration = new RevocationConfiguration { CrlConfiguration = new CrlConfiguration { Enabled = true, ExpirationInDays = 2, CustomCname = "pki.example.test" } },
        })).CertificateAuthorityArn;
        string csr = (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = arn })).Csr;
        string certArn = (await Issue(arn, csr, new Validity { Type = ValidityPeriodType.YEARS, Value = 10 }, template: Root)).CertificateArn;
        await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = arn, Certificate = Encoding.ASCII.GetBytes((await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = arn, CertificateArn = certArn })).Certificate) });
        return arn;
    }

    [SkippableFact]
    public async Task Revoked_certificates_appear_in_the_CRL_their_certificates_point_to_and_openssl_refuses_them()
    {
        string ca = await ActiveRootWithCrlAsync();
        string id = ca[^36..];
        GetCertificateResponse good = await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = (await Issue(ca, Csr("good").Pem)).CertificateArn });
        string badArn = (await Issue(ca, Csr("bad").Pem)).CertificateArn;
        GetCertificateResponse bad = await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = badArn });
        using (X509Certificate2 parsed = X509Certificate2.CreateFromPem(good.Certificate))
        {
            Assert.Equal([$"http://pki.example.test/crl/{id}.crl"], parsed.Extensions.OfType<X509Extension>().Where(e => e.Oid?.Value == "2.5.29.31").Select(e => Encoding.ASCII.GetString(e.RawData)[^($"http://pki.example.test/crl/{id}.crl".Length)..]));
        }

        byte[] empty = (await Pca.GetCertificateRevocationListAsync(ca)).ToArray();
        await Pca.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = badArn[^32..], RevocationReason = RevocationReason.KEY_COMPROMISE });
        byte[] crl = (await Pca.GetCertificateRevocationListAsync(id)).ToArray();
        Assert.NotEqual(empty, crl);

        using var temp = new TestSupport.TempDirectory();
        File.WriteAllBytes(temp.Combine("crl.der"), crl);
        File.WriteAllText(temp.Combine("root.pem"), good.CertificateChain);
        File.WriteAllText(temp.Combine("good.pem"), good.Certificate);
        File.WriteAllText(temp.Combine("bad.pem"), bad.Certificate);
        string text = OpenSsl("crl -inform DER -in crl.der -noout -text", temp.Path);
        Assert.Contains(badArn[^32..].ToUpperInvariant(), text.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), StringComparison.Ordinal);
        Assert.Contains("Key Compromise", text, StringComparison.Ordinal);
        Assert.Contains("verify OK", OpenSsl("crl -inform DER -in crl.der -noout -CAfile root.pem", temp.Path), StringComparison.Ordinal);
        OpenSsl("crl -inform DER -in crl.der -out crl.pem", temp.Path);
        long at = Clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.Contains("good.pem: OK", OpenSsl($"verify -attime {at} -crl_check -CAfile root.pem -CRLfile crl.pem good.pem", temp.Path), StringComparison.Ordinal);
        Assert.Contains("certificate revoked", OpenSsl($"verify -attime {at} -crl_check -CAfile root.pem -CRLfile crl.pem bad.pem", temp.Path), StringComparison.Ordinal);

        // The same CRL while nothing changes and half its validity has not passed; a new one (a larger number) after.
        Assert.Equal(crl, (await Pca.GetCertificateRevocationListAsync(ca)).ToArray());
        Clock.Advance(TimeSpan.FromDays(1));
        byte[] later = (await Pca.GetCertificateRevocationListAsync(ca)).ToArray();
        Assert.NotEqual(crl, later);
        var number = new Func<byte[], string>(der =>
        {
            File.WriteAllBytes(temp.Combine("n.der"), der);
            return OpenSsl("crl -inform DER -in n.der -noout -crlnumber", temp.Path);
        });
        Assert.True(string.CompareOrdinal(number(later).PadLeft(40), number(crl).PadLeft(40)) > 0, number(later) + " vs " + number(crl));
    }

    [SkippableFact]
    public async Task A_CA_without_a_CRL_configuration_publishes_none_and_its_certificates_name_none()
    {
        string ca = await ActiveRootAsync();
        using X509Certificate2 leaf = await Load(ca, (await Issue(ca, Csr("plain").Pem)).CertificateArn);
        Assert.DoesNotContain(leaf.Extensions.OfType<X509Extension>(), e => e.Oid?.Value == "2.5.29.31");
        await Assert.ThrowsAsync<InvalidStateException>(() => Pca.GetCertificateRevocationListAsync(ca));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Pca.GetCertificateRevocationListAsync("00000000-0000-0000-0000-000000000000"));
        await Assert.ThrowsAsync<InvalidArnException>(() => Pca.GetCertificateRevocationListAsync("../etc/passwd"));
    }
}
