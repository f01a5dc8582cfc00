using Microsoft.Extensions.Time.Testing;
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

    [Fact]
    public async Task An_unreachable_DNS_server_is_logged_and_the_certificate_waits_for_the_next_check()
    {
        var dns = new ZoneResolver { Throws = new IOException("no route to 192.0.2.53") };
        using var f = new DnsFixture(dns);

        string arn = await f.RequestAsync();
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.RunDueAsync();

        Assert.True(dns.Lookups >= 1);
        string failure = Assert.Single(f.Logs.Lines.Distinct(), l => l.Contains("[1602]", StringComparison.Ordinal));
        Assert.Contains("(IOException)", failure, StringComparison.Ordinal);
        Assert.Contains("dns.example.com", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.53", failure, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await f.DescribeAsync(arn)).Status);
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

        public int Lookups { get; private set; }

        public ValueTask<IReadOnlyList<string>> LookupCnameAsync(string name, CancellationToken cancellationToken)
        {
            Lookups++;
            if (Throws is { } ex)
            {
                throw ex;
            }

            return ValueTask.FromResult<IReadOnlyList<string>>(Records.TryGetValue(name, out string? value) ? [value] : []);
        }
    }

    /// <summary>An ACM on a fake clock with captured logs, validating DNS through <c>dns</c> every five minutes.</summary>
    private sealed class DnsFixture(IDnsValidationResolver dns) : IDisposable
    {
        public FakeTimeProvider Clock { get; } = TestData.NewClock();

        public CapturingLoggerProvider Logs { get; } = new();

        public InMemoryCertificateManager Acm => field ??= new(timeProvider: Clock, loggerFactory: Logs, settings: new CertificateManagerSettings { DnsResolver = dns, DnsCheckInterval = TimeSpan.FromMinutes(5) });

        public async Task<string> RequestAsync() =>
            (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "dns.example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;

        public async Task<CertificateDetail> DescribeAsync(string arn) => (await Acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate;

        public Task RunDueAsync() => Acm.ScheduledWork.RunDueAsync(CancellationToken.None).AsTask();

        public void Dispose()
        {
            Acm.Dispose();
            Logs.Dispose();
        }
    }

    [Fact]
    public async Task A_resolver_that_fails_otherwise_than_with_IO_is_logged_as_failed_work_and_the_certificate_waits()
    {
        var dns = new ZoneResolver { Throws = new InvalidOperationException("resolver bug at 192.0.2.53") };
        using var f = new DnsFixture(dns);

        string arn = await f.RequestAsync();
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.RunDueAsync();

        string failure = Assert.Single(f.Logs.Lines, l => l.Contains("[1601]", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", failure, StringComparison.Ordinal);
        Assert.Contains(arn, failure, StringComparison.Ordinal);
        Assert.Contains("(InvalidOperationException)", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.53", failure, StringComparison.Ordinal);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await f.DescribeAsync(arn)).Status);

        // A cancellation is not a failure: it ends the scheduled work.
        dns.Throws = new OperationCanceledException();
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await Assert.ThrowsAsync<OperationCanceledException>(f.RunDueAsync);
        Assert.Single(f.Logs.Lines, l => l.Contains("[1601]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_DNS_validated_certificate_that_is_not_renewed_gets_its_notices_and_expires_with_no_failed_work()
    {
        var dns = new ZoneResolver();
        using var f = new DnsFixture(dns);
        string arn = await f.RequestAsync();
        ResourceRecord record = (await f.DescribeAsync(arn)).DomainValidationOptions![0].ResourceRecord!;
        dns.Records[record.Name] = record.Value;
        f.Clock.Advance(TimeSpan.FromMinutes(5));
        await f.RunDueAsync();
        CertificateDetail issued = await f.DescribeAsync(arn);
        Assert.Equal(CertificateStatus.ISSUED, issued.Status);
        Assert.Equal(RenewalEligibility.INELIGIBLE, issued.RenewalEligibility); // in use by nothing: ACM does not renew it

        f.Clock.Advance(issued.NotAfter!.Value - TimeSpan.FromDays(45) - f.Clock.GetUtcNow());
        await f.RunDueAsync();
        f.Clock.Advance(issued.NotAfter.Value - f.Clock.GetUtcNow());
        await f.RunDueAsync();

        CertificateDetail expired = await f.DescribeAsync(arn);
        Assert.Equal(CertificateStatus.EXPIRED, expired.Status);
        Assert.Null(expired.RenewalSummary);
        Assert.DoesNotContain(f.Logs.Lines, l => l.StartsWith("Warning ", StringComparison.Ordinal));
    }
}
