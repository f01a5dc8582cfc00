using Vaultlib.Certificates.Acm;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Certificates.Acm;

/// <summary>A validation mail that cannot be sent is logged, and the request stands: ResendValidationEmail sends it again.</summary>
public sealed class AcmMailFailureTests
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
}
