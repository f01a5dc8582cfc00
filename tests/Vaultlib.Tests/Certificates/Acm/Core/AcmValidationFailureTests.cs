using Vaultlib.Certificates.Acm;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Certificates.Acm;

/// <summary>
/// Validation that cannot reach its parts: a mail that cannot be sent, or DNS that cannot be reached, is logged (the
/// exception's type only), and the request stands, waiting as in ACM.
/// </summary>
public sealed class AcmValidationFailureTests
{
    /// <summary>A sender that fails until told otherwise, then records what it sends.</summary>
    private sealed class FlakySender : IValidationEmailSender
    {
        public bool Failing { get; set; } = true;

        public List<ValidationEmail> Sent { get; } = [];

        public ValueTask SendAsync(ValidationEmail email, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new IOException("the mail relay is down");
            }

            Sent.Add(email);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A resolver whose DNS servers cannot be reached.</summary>
    private sealed class UnreachableDns : IDnsValidationResolver
    {
        public int Lookups { get; private set; }

        public ValueTask<IReadOnlyList<string>> LookupCnameAsync(string name, CancellationToken cancellationToken)
        {
            Lookups++;
            throw new IOException("no route to 192.0.2.53");
        }
    }

    [Fact]
    public async Task An_unreachable_DNS_server_is_logged_and_the_certificate_waits_for_the_next_check()
    {
        var dns = new UnreachableDns();
        var clock = TestData.NewClock();
        using var logs = new CapturingLoggerProvider();
        using var acm = new InMemoryCertificateManager(timeProvider: clock, loggerFactory: logs, settings: new CertificateManagerSettings { DnsResolver = dns, DnsCheckInterval = TimeSpan.FromMinutes(5) });

        string arn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "dns.example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;
        clock.Advance(TimeSpan.FromMinutes(5));
        await acm.ScheduledWork.RunDueAsync(CancellationToken.None);

        Assert.True(dns.Lookups >= 1);
        string failure = Assert.Single(logs.Lines.Distinct(), l => l.Contains("[1602]", StringComparison.Ordinal));
        Assert.Contains("(IOException)", failure, StringComparison.Ordinal);
        Assert.Contains("dns.example.com", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.53", failure, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.Status);
    }

    [Fact]
    public async Task A_failed_validation_mail_is_logged_without_failing_the_request_and_is_sent_again_on_request()
    {
        var sender = new FlakySender();
        using var logs = new CapturingLoggerProvider();
        using var acm = new InMemoryCertificateManager(timeProvider: TestData.NewClock(), loggerFactory: logs, settings: new CertificateManagerSettings { EmailSender = sender });

        string arn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "mail.example.com", ValidationMethod = ValidationMethod.EMAIL })).CertificateArn;

        string failure = Assert.Single(logs.Lines, l => l.Contains("[1603]", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", failure, StringComparison.Ordinal);
        Assert.Contains(arn, failure, StringComparison.Ordinal);
        Assert.Contains("(IOException)", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("relay is down", failure, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.Status);

        sender.Failing = false;
        await acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "mail.example.com", ValidationDomain = "mail.example.com" });
        Assert.Equal("mail.example.com", Assert.Single(sender.Sent).DomainName);
    }

    /// <summary>A resolver that answers the records it was given, or throws what it was told to.</summary>
    private sealed class ZoneResolver : IDnsValidationResolver
    {
        public Dictionary<string, string> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Exception? Throws { get; set; }

        public ValueTask<IReadOnlyList<string>> LookupCnameAsync(string name, CancellationToken cancellationToken)
        {
            if (Throws is { } ex)
            {
                throw ex;
            }

            return ValueTask.FromResult<IReadOnlyList<string>>(Records.TryGetValue(name, out string? value) ? [value] : []);
        }
    }

    [Fact]
    public async Task A_resolver_that_fails_otherwise_than_with_IO_is_logged_as_failed_work_and_the_certificate_waits()
    {
        var dns = new ZoneResolver { Throws = new InvalidOperationException("resolver bug at 192.0.2.53") };
        var clock = TestData.NewClock();
        using var logs = new CapturingLoggerProvider();
        using var acm = new InMemoryCertificateManager(timeProvider: clock, loggerFactory: logs, settings: new CertificateManagerSettings { DnsResolver = dns, DnsCheckInterval = TimeSpan.FromMinutes(5) });

        string arn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "dns.example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;
        clock.Advance(TimeSpan.FromMinutes(5));
        await acm.ScheduledWork.RunDueAsync(CancellationToken.None);

        string failure = Assert.Single(logs.Lines, l => l.Contains("[1601]", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", failure, StringComparison.Ordinal);
        Assert.Contains(arn, failure, StringComparison.Ordinal);
        Assert.Contains("(InvalidOperationException)", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.53", failure, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.Status);

        // A cancellation is not a failure: it ends the scheduled work.
        dns.Throws = new OperationCanceledException();
        clock.Advance(TimeSpan.FromMinutes(5));
        await Assert.ThrowsAsync<OperationCanceledException>(() => acm.ScheduledWork.RunDueAsync(CancellationToken.None).AsTask());
        Assert.Single(logs.Lines, l => l.Contains("[1601]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_DNS_validated_certificate_that_is_not_renewed_gets_its_notices_and_expires_with_no_failed_work()
    {
        var dns = new ZoneResolver();
        var clock = TestData.NewClock();
        using var logs = new CapturingLoggerProvider();
        using var acm = new InMemoryCertificateManager(timeProvider: clock, loggerFactory: logs, settings: new CertificateManagerSettings { DnsResolver = dns, DnsCheckInterval = TimeSpan.FromMinutes(5) });
        string arn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "dns.example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;
        ResourceRecord record = (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.DomainValidationOptions![0].ResourceRecord!;
        dns.Records[record.Name] = record.Value;
        clock.Advance(TimeSpan.FromMinutes(5));
        await acm.ScheduledWork.RunDueAsync(CancellationToken.None);
        CertificateDetail issued = (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate;
        Assert.Equal(CertificateStatus.ISSUED, issued.Status);
        Assert.Equal(RenewalEligibility.INELIGIBLE, issued.RenewalEligibility); // in use by nothing: ACM does not renew it

        clock.Advance(issued.NotAfter!.Value - TimeSpan.FromDays(45) - clock.GetUtcNow());
        await acm.ScheduledWork.RunDueAsync(CancellationToken.None);
        clock.Advance(issued.NotAfter.Value - clock.GetUtcNow());
        await acm.ScheduledWork.RunDueAsync(CancellationToken.None);

        CertificateDetail expired = (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate;
        Assert.Equal(CertificateStatus.EXPIRED, expired.Status);
        Assert.Null(expired.RenewalSummary);
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Warning ", StringComparison.Ordinal));
    }
}
