using System.Security.Cryptography.X509Certificates;
using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task Dns_validation_issues_once_every_domain_s_record_is_in_the_loopback_zone()
    {
        var seen = new List<CertificateManagerEvent>();
        using IDisposable subscription = Acm.Subscribe(e => { lock (seen) { seen.Add(e); } });
        string arn = await RequestDns("www.example.com", KeyAlgorithm.EC_prime256v1, "shop.example.com");
        CertificateDetail pending = await Describe(arn);

        // Only one domain's record: still pending after the check, that domain SUCCESS.
        Dns.AddCname(pending.DomainValidationOptions![0].ResourceRecord!.Name, pending.DomainValidationOptions[0].ResourceRecord!.Value);
        await RunDue();
        CertificateDetail half = await Describe(arn);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, half.Status);
        Assert.Equal([DomainStatus.SUCCESS, DomainStatus.PENDING_VALIDATION], half.DomainValidationOptions!.Select(v => v.ValidationStatus!.Value));
        Assert.True(Dns.Queries >= 2);

        // The next check is the interval later, and looks up only the domain still pending; the second record, once added, is found then.
        int queries = Dns.Queries;
        await PublishRecords(arn);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(5), Acm.ScheduledWork.NextDueTime);
        await RunDue();
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await Describe(arn)).Status);
        Assert.Equal(queries, Dns.Queries);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await RunDue();
        Assert.Equal(queries + 1, Dns.Queries);

        CertificateDetail issued = await Describe(arn);
        Assert.Equal(CertificateStatus.ISSUED, issued.Status);
        Assert.All(issued.DomainValidationOptions!, v => Assert.Equal(DomainStatus.SUCCESS, v.ValidationStatus));
        Assert.Equal(Clock.GetUtcNow(), issued.IssuedAt);
        Assert.Equal(Clock.GetUtcNow().AddDays(395), issued.NotAfter);
        Assert.Equal(KeyAlgorithm.EC_prime256v1, issued.KeyAlgorithm);

        // Issued by the account's local public-like root: the chain verifies with openssl, with ACM's extensions.
        using X509Certificate2 root = await Acm.GetLocalRootCertificateAsync();
        Assert.Equal(root.Subject, issued.Issuer);
        using X509Certificate2 leaf = await Leaf(arn);
        Assert.Equal(["www.example.com", "shop.example.com"], leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        using var temp = new TestSupport.TempDirectory();
        File.WriteAllText(temp.Combine("leaf.pem"), leaf.ExportCertificatePem());
        File.WriteAllText(temp.Combine("root.pem"), root.ExportCertificatePem());
        Assert.StartsWith("exit 0", OpenSsl($"verify -attime {Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds()} -purpose sslserver -CAfile root.pem leaf.pem", temp.Path), StringComparison.Ordinal);

        List<CertificateManagerEvent> events = await Settle(seen, 1);
        CertificateManagerEvent available = Assert.Single(events);
        Assert.Equal("ACM Certificate Available", available.DetailType);
        Assert.Equal("aws.acm", available.Source);
        Assert.Equal("ISSUANCE", available.Detail.Action);
        Assert.Equal(395, available.Detail.DaysToExpiry);
        Assert.Equal([arn], available.Resources);
    }

    [Fact]
    public async Task Dns_validation_with_a_wrong_record_stays_pending_and_times_out_after_72_hours()
    {
        string arn = await RequestDns("www.example.com");
        DomainValidation v = (await Describe(arn)).DomainValidationOptions![0];
        Dns.AddCname(v.ResourceRecord!.Name, "_0123456789abcdef0123456789abcdef.wrongvalue.acm-validations.aws.");
        await RunDue();
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await Describe(arn)).Status);

        Clock.Advance(TimeSpan.FromHours(72) - TimeSpan.FromSeconds(1));
        await RunDue();
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await Describe(arn)).Status);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await RunDue();
        CertificateDetail timedOut = await Describe(arn);
        Assert.Equal(CertificateStatus.VALIDATION_TIMED_OUT, timedOut.Status);
        Assert.Equal(DomainStatus.FAILED, timedOut.DomainValidationOptions![0].ValidationStatus);

        // Too late now: the right record changes nothing.
        Dns.AddCname(v.ResourceRecord.Name, v.ResourceRecord.Value);
        Clock.Advance(TimeSpan.FromHours(1));
        await RunDue();
        Assert.Equal(CertificateStatus.VALIDATION_TIMED_OUT, (await Describe(arn)).Status);
        Assert.Null(Acm.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task Dns_validation_times_out_when_looked_up_even_with_no_scheduler()
    {
        string arn = await RequestDns("www.example.com");
        Clock.Advance(TimeSpan.FromHours(73));
        Assert.Equal(CertificateStatus.VALIDATION_TIMED_OUT, (await Describe(arn)).Status);
        Assert.Contains((await Acm.ListCertificatesAsync(new ListCertificatesRequest { CertificateStatuses = [CertificateStatus.VALIDATION_TIMED_OUT] })).CertificateSummaryList, s => s.CertificateArn == arn);
    }

    [Fact]
    public async Task Dns_validation_with_no_DNS_server_answering_stays_pending()
    {
        string arn = await RequestDns("www.example.com");
        await PublishRecords(arn);
        Dns.Dispose(); // the server stops: lookups time out, and are tried again later
        await RunDue();
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await Describe(arn)).Status);
    }
}
