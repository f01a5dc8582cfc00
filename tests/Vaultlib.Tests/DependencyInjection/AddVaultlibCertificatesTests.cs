using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Certificates.Acm;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.DependencyInjection;

public sealed class AddVaultlibCertificatesTests
{
    [Fact]
    public async Task Registers_ACM_validating_through_the_resolver_and_sender_in_the_container_and_issuing_through_the_region_s_Private_CA()
    {
        using var dns = new LoopbackDnsServer();
        var mail = new InMemoryValidationEmailSender();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(TestData.NewClock());
        services.AddSingleton<IDnsValidationResolver>(new DnsClientValidationResolver(dns.EndPoint));
        services.AddSingleton<IValidationEmailSender>(mail);
        services.AddVaultlib(o => o.Region = "eu-west-1");
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        ICertificateManager acm = provider.GetRequiredService<ICertificateManager>();
        VaultlibHost host = provider.GetRequiredService<VaultlibHost>();
        Assert.Same(host.CertificateManager, acm);
        Assert.Same(host.GetCertificateManager("eu-west-1"), acm);
        Assert.NotSame(host.GetCertificateManager("us-east-1"), acm);

        string emailArn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "mail.example.com" })).CertificateArn;
        Assert.StartsWith("arn:aws:acm:eu-west-1:111122223333:certificate/", emailArn, StringComparison.Ordinal);
        Assert.Equal(emailArn, Assert.Single(mail.Sent).CertificateArn);

        string dnsArn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;
        ResourceRecord record = (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = dnsArn })).Certificate.DomainValidationOptions![0].ResourceRecord!;
        dns.AddCname(record.Name, record.Value);
        await host.CertificateManager.ScheduledWork.RunDueAsync(CancellationToken.None);
        Assert.Equal(CertificateStatus.ISSUED, (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = dnsArn })).Certificate.Status);
        Assert.True(dns.Queries > 0);
    }
}
