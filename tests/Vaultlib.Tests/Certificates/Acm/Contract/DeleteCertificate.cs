using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task DeleteCertificate_is_refused_while_the_certificate_is_in_use_and_deletes_it_after()
    {
        string arn = await IssuedDns();
        await Acm.AddInUseByAsync(arn, "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1");
        CertificateDetail inUse = await Describe(arn);
        Assert.Equal(["arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1"], inUse.InUseBy);
        Assert.Equal(RenewalEligibility.ELIGIBLE, inUse.RenewalEligibility);
        await Assert.ThrowsAsync<ResourceInUseException>(() => Acm.DeleteCertificateAsync(new DeleteCertificateRequest { CertificateArn = arn }));

        await Acm.RemoveInUseByAsync(arn, "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/1");
        await Acm.DeleteCertificateAsync(new DeleteCertificateRequest { CertificateArn = arn });
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Describe(arn));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Acm.DeleteCertificateAsync(new DeleteCertificateRequest { CertificateArn = arn }));
        Assert.Null(Acm.FindServerCertificate("www.example.com"));
    }

    [Fact]
    public async Task Certificate_ARNs_of_another_service_Region_or_account_are_InvalidArnException()
    {
        string arn = await RequestDns();
        foreach (string bad in new[] { arn.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal), arn.Replace("111122223333", "444455556666", StringComparison.Ordinal), arn.Replace(":acm:", ":kms:", StringComparison.Ordinal), arn + "/extra", "arn:aws:acm:us-east-1:111122223333:certificate/" })
        {
            await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArnException>(() => Describe(bad));
        }

        Assert.Equal("CertificateArn", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Describe("short"))).MemberName);
    }
}
