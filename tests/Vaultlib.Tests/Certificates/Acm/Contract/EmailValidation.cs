using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task Email_validation_mails_the_domain_s_contacts_and_issues_once_every_approval_link_is_followed()
    {
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest
        {
            DomainName = "www.example.com",
            SubjectAlternativeNames = ["shop.example.org"],
            DomainValidationOptions = [new DomainValidationOption { DomainName = "www.example.com", ValidationDomain = "example.com" }],
        })).CertificateArn;
        CertificateDetail pending = await Describe(arn);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, pending.Status);
        Assert.Equal(ValidationMethod.EMAIL, pending.DomainValidationOptions![0].ValidationMethod);
        Assert.Equal(["admin@example.com", "administrator@example.com", "hostmaster@example.com", "postmaster@example.com", "webmaster@example.com"], pending.DomainValidationOptions[0].ValidationEmails);
        Assert.Null(pending.DomainValidationOptions[0].ResourceRecord);

        Assert.Equal(2, Mail.Sent.Count);
        ValidationEmail first = Mail.Sent.Single(m => m.DomainName == "www.example.com");
        Assert.Equal("example.com", first.ValidationDomain);
        Assert.Equal(TestSupport.TestData.Epoch.AddHours(72), first.ExpiresAt);
        Assert.DoesNotContain(first.ApprovalToken, first.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Audit.Events, e => e.ToJson().Contains(first.ApprovalToken, StringComparison.Ordinal));

        await Acm.ApproveDomainValidationAsync(first.ApprovalToken);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, (await Describe(arn)).Status);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Acm.ApproveDomainValidationAsync(first.ApprovalToken));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Acm.ApproveDomainValidationAsync("0123456789abcdef0123456789abcdef"));

        await Acm.ApproveDomainValidationAsync(Mail.Sent.Single(m => m.DomainName == "shop.example.org").ApprovalToken);
        CertificateDetail issued = await Describe(arn);
        Assert.Equal(CertificateStatus.ISSUED, issued.Status);
        Assert.All(issued.DomainValidationOptions!, v => Assert.Equal(DomainStatus.SUCCESS, v.ValidationStatus));
    }

    [Fact]
    public async Task ResendValidationEmail_mails_a_pending_domain_again_and_refuses_otherwise()
    {
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", ValidationMethod = ValidationMethod.EMAIL })).CertificateArn;
        await Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "www.example.com", ValidationDomain = "www.example.com" });
        Assert.Equal(2, Mail.Sent.Count);
        Assert.Equal(Mail.Sent[0].ApprovalToken, Mail.Sent[1].ApprovalToken);

        await Assert.ThrowsAsync<InvalidDomainValidationOptionsException>(() => Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "mail.example.com", ValidationDomain = "example.com" }));
        await Assert.ThrowsAsync<InvalidDomainValidationOptionsException>(() => Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "www.example.com", ValidationDomain = "example.com" }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "not a domain", ValidationDomain = "example.com" }));

        string dns = await RequestDns("api.example.com");
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidStateException>(() => Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = dns, Domain = "api.example.com", ValidationDomain = "api.example.com" }));

        await Acm.ApproveDomainValidationAsync(Mail.Sent[0].ApprovalToken);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidStateException>(() => Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "www.example.com", ValidationDomain = "www.example.com" }));
    }

    [Fact]
    public async Task An_approval_link_passes_over_issued_certificates_with_no_renewal_pending()
    {
        string issued = await IssuedDns("issued.example.com");
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", ValidationMethod = ValidationMethod.EMAIL })).CertificateArn;

        await Acm.ApproveDomainValidationAsync(Mail.Sent.Single().ApprovalToken);
        // A link no certificate waits for is looked for in every certificate, the issued ones included, and not found.
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Acm.ApproveDomainValidationAsync(Mail.Sent.Single().ApprovalToken));

        Assert.Equal(CertificateStatus.ISSUED, (await Describe(arn)).Status);
        Assert.Null((await Describe(issued)).RenewalSummary);
    }

    [Fact]
    public async Task Email_validation_times_out_and_its_link_stops_working()
    {
        await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com" });
        Clock.Advance(TimeSpan.FromHours(72));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ResourceNotFoundException>(() => Acm.ApproveDomainValidationAsync(Mail.Sent[0].ApprovalToken));
    }

    [Fact]
    public async Task Email_validation_resends_only_the_domain_asked_and_times_out_only_pending_domains()
    {
        await IssuedDns("issued.example.net"); // an issued certificate, renewing nothing, among those an approval looks through
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "a.example.com", SubjectAlternativeNames = ["b.example.org"] })).CertificateArn;
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromHours(72), Acm.ScheduledWork.NextDueTime); // email: nothing to look up before the time-out (the issued one's first notice is far later)
        await Acm.ApproveDomainValidationAsync(Mail.Sent.Single(m => m.DomainName == "a.example.com").ApprovalToken);
        await Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "b.example.org", ValidationDomain = "b.example.org" });
        Assert.Equal(3, Mail.Sent.Count);
        Assert.Equal("b.example.org", Mail.Sent[^1].DomainName);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidStateException>(() => Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "a.example.com", ValidationDomain = "a.example.com" }));

        Clock.Advance(TimeSpan.FromHours(72));
        CertificateDetail timedOut = await Describe(arn);
        Assert.Equal(CertificateStatus.VALIDATION_TIMED_OUT, timedOut.Status);
        Assert.Equal([DomainStatus.SUCCESS, DomainStatus.FAILED], timedOut.DomainValidationOptions!.Select(v => v.ValidationStatus!.Value));
    }

    [Fact]
    public async Task An_approval_link_works_on_another_instance_at_once()
    {
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "a.example.com" })).CertificateArn;
        using VaultlibHost second = NewHost();
        await second.CertificateManager.ApproveDomainValidationAsync(Mail.Sent[0].ApprovalToken);
        await Acm.Table.CatchUpOnceAsync(CancellationToken.None);
        Assert.Equal(CertificateStatus.ISSUED, (await Describe(arn)).Status);
    }
}
