using System.Text;
using Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates;

/// <summary>Contract tests: a CA whose certificate runs out is EXPIRED.</summary>
public abstract partial class PrivateCaContractTests
{
    [SkippableFact]
    public async Task A_CA_whose_certificate_runs_out_is_EXPIRED_and_issues_nothing_not_even_its_own_renewal()
    {
        string ca = await ActiveRootAsync(years: 1);
        Clock.Advance(TimeSpan.FromDays(365) - TimeSpan.FromSeconds(1));
        Assert.Equal(CertificateAuthorityStatus.ACTIVE, (await Describe(ca)).Status);
        Clock.Advance(TimeSpan.FromSeconds(1));
        CertificateAuthority expired = await Describe(ca);
        Assert.Equal((CertificateAuthorityStatus.EXPIRED, Clock.GetUtcNow()), (expired.Status, expired.LastStateChangeAt));
        await Assert.ThrowsAsync<InvalidStateException>(() => Issue(ca, Csr("late").Pem));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Pca.UpdateCertificateAuthorityAsync(new UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = CertificateAuthorityStatus.EXPIRED }));
        await Assert.ThrowsAsync<InvalidStateException>(() => Pca.UpdateCertificateAuthorityAsync(new UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = CertificateAuthorityStatus.ACTIVE }));

        // Not even a root's own renewal: renew before the certificate runs out (RootCACertificate/V1 while ACTIVE).
        string csr = (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = ca })).Csr;
        await Assert.ThrowsAsync<InvalidStateException>(() => Issue(ca, csr, new Validity { Type = ValidityPeriodType.YEARS, Value = 2 }, template: Root));
        Assert.Equal(CertificateAuthorityStatus.EXPIRED, (await Describe(ca)).Status);
    }

    [SkippableFact]
    public async Task An_expired_subordinate_is_made_ACTIVE_again_by_importing_a_new_certificate()
    {
        string root = await ActiveRootAsync(years: 5);
        (string sub, string subCsr) = await PendingSubordinateAsync(KeyAlgorithm.EC_prime256v1);
        async Task ImportAsync(int days)
        {
            GetCertificateResponse signed = await Pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = root, CertificateArn = (await Issue(root, subCsr, new Validity { Type = ValidityPeriodType.DAYS, Value = days }, template: "arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1")).CertificateArn });
            await Pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = sub, Certificate = Encoding.ASCII.GetBytes(signed.Certificate), CertificateChain = Encoding.ASCII.GetBytes(signed.CertificateChain!) });
        }

        await ImportAsync(10);
        Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(CertificateAuthorityStatus.EXPIRED, (await Describe(sub)).Status);
        await ImportAsync(30);
        CertificateAuthority renewed = await Describe(sub);
        Assert.Equal((CertificateAuthorityStatus.ACTIVE, Clock.GetUtcNow().AddDays(30)), (renewed.Status, renewed.NotAfter));
        await Issue(sub, Csr("again").Pem);
    }
}
