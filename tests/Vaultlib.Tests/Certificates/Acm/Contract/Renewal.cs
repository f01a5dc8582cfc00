using Pki = Vaultlib.Certificates;
using System.Security.Cryptography.X509Certificates;
using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task Managed_renewal_renews_an_exported_private_certificate_60_days_before_it_expires()
    {
        var seen = new List<CertificateManagerEvent>();
        using IDisposable subscription = Acm.Subscribe(e => { lock (seen) { seen.Add(e); } });
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca);
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() });
        CertificateDetail before = await Describe(arn);
        Assert.Equal(before.NotAfter!.Value - TimeSpan.FromDays(60), Acm.ScheduledWork.NextDueTime);

        Clock.Advance(before.NotAfter.Value - TimeSpan.FromDays(60) - Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        await RunDue();
        Assert.Equal(before.Serial, (await Describe(arn)).Serial);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await RunDue();

        CertificateDetail after = await Describe(arn);
        Assert.NotEqual(before.Serial, after.Serial);
        Assert.Equal(CertificateStatus.ISSUED, after.Status);
        Assert.Equal(Clock.GetUtcNow().AddDays(395), after.NotAfter);
        Assert.Equal(RenewalStatus.SUCCESS, after.RenewalSummary!.RenewalStatus);
        Assert.Equal(Clock.GetUtcNow(), after.RenewalSummary.UpdatedAt);
        Assert.Equal(RenewalEligibility.INELIGIBLE, after.RenewalEligibility); // until exported (or in use) again, as in AWS
        List<CertificateManagerEvent> events = await Settle(seen, 4); // waits out a second renewal, which must not come
        Assert.Single(events, e => e.DetailType == "ACM Certificate Available" && e.Detail.Action == "RENEWAL");
    }

    [Fact]
    public async Task Expiry_events_are_sent_45_30_15_7_3_and_1_days_before_then_the_certificate_expires()
    {
        var seen = new List<CertificateManagerEvent>();
        using IDisposable subscription = Acm.Subscribe(e => { lock (seen) { seen.Add(e); } });
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca); // neither exported nor in use: not renewed
        DateTimeOffset notAfter = (await Describe(arn)).NotAfter!.Value;
        foreach (int days in new[] { 45, 30, 15, 7, 3, 1 })
        {
            Clock.Advance(notAfter - TimeSpan.FromDays(days) - Clock.GetUtcNow());
            Assert.Equal(Clock.GetUtcNow(), Acm.ScheduledWork.NextDueTime);
            await RunDue();
        }

        Clock.Advance(notAfter - Clock.GetUtcNow());
        await RunDue();
        Assert.Equal(CertificateStatus.EXPIRED, (await Describe(arn)).Status);
        List<CertificateManagerEvent> events = await Settle(seen, 8);
        Assert.Equal([45, 30, 15, 7, 3, 1], events.Where(e => e.DetailType == "ACM Certificate Approaching Expiration").Select(e => e.Detail.DaysToExpiry!.Value));
        CertificateManagerEvent expired = Assert.Single(events, e => e.DetailType == "ACM Certificate Expired");
        Assert.Equal(notAfter, expired.Time);
        Assert.Null(Acm.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task A_certificate_exported_after_its_last_expiry_notice_is_renewed_at_once()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca);
        CertificateDetail before = await Describe(arn);
        foreach (int days in new[] { 45, 30, 15, 7, 3, 1 })
        {
            Clock.Advance(before.NotAfter!.Value - TimeSpan.FromDays(days) - Clock.GetUtcNow());
            await RunDue();
        }

        // Every notice is sent: the next due work is the expiry, until the export makes the certificate eligible.
        Assert.Equal(before.NotAfter, Acm.ScheduledWork.NextDueTime);
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() });
        Assert.Equal(before.NotAfter!.Value - TimeSpan.FromDays(60), Acm.ScheduledWork.NextDueTime);
        await RunDue();

        CertificateDetail after = await Describe(arn);
        Assert.NotEqual(before.Serial, after.Serial);
        Assert.Equal(CertificateStatus.ISSUED, after.Status);
        Assert.Equal(RenewalStatus.SUCCESS, after.RenewalSummary!.RenewalStatus);
    }

    [Fact]
    public async Task Managed_renewal_of_a_DNS_validated_certificate_in_use_needs_its_record_still_there()
    {
        var seen = new List<CertificateManagerEvent>();
        using IDisposable subscription = Acm.Subscribe(e => { lock (seen) { seen.Add(e); } });
        string kept = await IssuedDns("kept.example.com");
        string dropped = await IssuedDns("dropped.example.com");
        await Acm.AddInUseByAsync(kept, "kestrel:kept");
        await Acm.AddInUseByAsync(dropped, "kestrel:dropped");
        Dns.Remove((await Describe(dropped)).DomainValidationOptions![0].ResourceRecord!.Name);
        DateTimeOffset notAfter = (await Describe(kept)).NotAfter!.Value;

        Clock.Advance(notAfter - TimeSpan.FromDays(60) - Clock.GetUtcNow());
        await RunDue();
        CertificateDetail renewed = await Describe(kept);
        Assert.Equal(RenewalStatus.SUCCESS, renewed.RenewalSummary!.RenewalStatus);
        Assert.True(renewed.NotAfter > notAfter);
        Assert.Equal(RenewalEligibility.ELIGIBLE, renewed.RenewalEligibility); // still in use

        CertificateDetail waiting = await Describe(dropped);
        Assert.Equal(RenewalStatus.PENDING_VALIDATION, waiting.RenewalSummary!.RenewalStatus);
        Assert.Equal(DomainStatus.PENDING_VALIDATION, waiting.RenewalSummary.DomainValidationOptions[0].ValidationStatus);
        Assert.Equal(notAfter, waiting.NotAfter);
        Assert.Contains(await Settle(seen, 4), e => e.DetailType == "ACM Certificate Renewal Action Required" && e.Resources[0] == dropped);

        // Never put back: at expiry the renewal fails and the certificate expires.
        Clock.Advance(notAfter - Clock.GetUtcNow());
        await RunDue();
        CertificateDetail expired = await Describe(dropped);
        Assert.Equal(CertificateStatus.EXPIRED, expired.Status);
        Assert.Equal(RenewalStatus.FAILED, expired.RenewalSummary!.RenewalStatus);
    }

    [Fact]
    public async Task Managed_renewal_of_an_email_validated_certificate_waits_for_approval()
    {
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "mail.example.com" })).CertificateArn;
        await Acm.ApproveDomainValidationAsync(Mail.Sent[0].ApprovalToken);
        await Acm.AddInUseByAsync(arn, "kestrel:mail");
        DateTimeOffset notAfter = (await Describe(arn)).NotAfter!.Value;
        Clock.Advance(notAfter - TimeSpan.FromDays(60) - Clock.GetUtcNow());
        await RunDue();
        Assert.Equal(RenewalStatus.PENDING_VALIDATION, (await Describe(arn)).RenewalSummary!.RenewalStatus);
        Assert.Equal(notAfter - TimeSpan.FromDays(45), Acm.ScheduledWork.NextDueTime); // nothing to look up: the next notice
        ValidationEmail renewalMail = Mail.Sent[^1];
        Assert.True(renewalMail.Renewal);
        Assert.Equal(notAfter, renewalMail.ExpiresAt);
        Assert.NotEqual(Mail.Sent[0].ApprovalToken, renewalMail.ApprovalToken);
        await Acm.ResendValidationEmailAsync(new ResendValidationEmailRequest { CertificateArn = arn, Domain = "mail.example.com", ValidationDomain = "mail.example.com" });
        await Acm.ApproveDomainValidationAsync(renewalMail.ApprovalToken);
        CertificateDetail renewed = await Describe(arn);
        Assert.Equal(RenewalStatus.SUCCESS, renewed.RenewalSummary!.RenewalStatus);
        Assert.True(renewed.NotAfter > notAfter);
    }

    [Fact]
    public async Task RenewCertificate_renews_an_exported_private_certificate_now_and_refuses_others()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = arn }));
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() });
        using X509Certificate2 before = await Leaf(arn);
        Clock.Advance(TimeSpan.FromDays(1));
        await Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = arn });
        using X509Certificate2 after = await Leaf(arn);
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.False(before.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(after.PublicKey.EncodedKeyValue.RawData), "a renewal makes a new key");
        Assert.Equal(RenewalStatus.SUCCESS, (await Describe(arn)).RenewalSummary!.RenewalStatus);

        string dns = await IssuedDns();
        await Acm.AddInUseByAsync(dns, "kestrel:www");
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = dns }));
        string pending = await RequestDns("pending.example.com");
        await Assert.ThrowsAsync<RequestInProgressException>(() => Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = pending }));
    }

    [Fact]
    public async Task A_second_instance_on_the_same_vault_sees_certificates_keys_and_events()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca, "shared.example.com");
        using VaultlibHost second = NewHost();
        var seen = new List<CertificateManagerEvent>();
        using IDisposable subscription = second.CertificateManager.Subscribe(e => { lock (seen) { seen.Add(e); } });
        Assert.Equal(CertificateStatus.ISSUED, (await second.CertificateManager.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.Status);
        X509Certificate2 served = second.CertificateManager.FindServerCertificate("shared.example.com")!.Certificate;
        Assert.True(served.HasPrivateKey);
        Assert.Equal((await Leaf(arn)).RawData, served.RawData);

        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() });
        await Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = arn });
        Assert.Contains(await Settle(seen, 1), e => e.Detail.Action == "RENEWAL");
        await second.CertificateManager.Table.CatchUpOnceAsync(CancellationToken.None);
        Assert.Equal((await Leaf(arn)).RawData, second.CertificateManager.FindServerCertificate("shared.example.com")!.Certificate.RawData);
    }

    [Fact]
    public async Task Only_the_instance_holding_the_scheduler_lease_renews()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca, "leased.example.com");
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() });
        CertificateDetail before = await Describe(arn);
        using VaultlibHost second = NewHost();
        Clock.Advance(before.NotAfter!.Value - TimeSpan.FromDays(60) - Clock.GetUtcNow());
        Assert.True(await second.CertificateManager.Table.TryLeadSchedulerAsync(TimeSpan.FromHours(1), CancellationToken.None));

        await RunDue(); // due here too, but another instance holds the lease
        Assert.Equal(before.Serial, (await Describe(arn)).Serial);

        await second.CertificateManager.ScheduledWork.RunDueAsync(CancellationToken.None);
        await Acm.Table.CatchUpOnceAsync(CancellationToken.None);
        Assert.NotEqual(before.Serial, (await Describe(arn)).Serial);
    }

    [Fact]
    public async Task A_DNS_renewal_waiting_for_its_record_renews_once_the_record_is_back()
    {
        string arn = await IssuedDns("back.example.com");
        await Acm.AddInUseByAsync(arn, "kestrel:back");
        ResourceRecord record = (await Describe(arn)).DomainValidationOptions![0].ResourceRecord!;
        Dns.Remove(record.Name);
        DateTimeOffset notAfter = (await Describe(arn)).NotAfter!.Value;
        Clock.Advance(notAfter - TimeSpan.FromDays(60) - Clock.GetUtcNow());
        await RunDue();
        Assert.Equal(RenewalStatus.PENDING_VALIDATION, (await Describe(arn)).RenewalSummary!.RenewalStatus);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(5), Acm.ScheduledWork.NextDueTime);

        Dns.AddCname(record.Name, record.Value);
        await RunDue(); // not due yet
        Assert.Equal(RenewalStatus.PENDING_VALIDATION, (await Describe(arn)).RenewalSummary!.RenewalStatus);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await RunDue();
        CertificateDetail renewed = await Describe(arn);
        Assert.Equal(RenewalStatus.SUCCESS, renewed.RenewalSummary!.RenewalStatus);
        Assert.Equal(DomainStatus.SUCCESS, renewed.RenewalSummary.DomainValidationOptions[0].ValidationStatus);
        Assert.Null(renewed.RenewalSummary.DomainValidationOptions[0].ValidationEmails);
        Assert.Equal(Clock.GetUtcNow().AddDays(395), renewed.NotAfter);
    }

    [Fact]
    public async Task The_next_due_time_is_the_earliest_of_every_certificate_s_and_a_jump_sends_one_notice_with_the_days_left()
    {
        var seen = new List<CertificateManagerEvent>();
        using IDisposable subscription = Acm.Subscribe(e => { lock (seen) { seen.Add(e); } });
        string ca = await ActiveRootAsync();
        string early = await RequestPrivate(ca, "early.example.com");
        Clock.Advance(TimeSpan.FromDays(10));
        string late = await RequestPrivate(ca, "late.example.com");
        DateTimeOffset earlyNotAfter = (await Describe(early)).NotAfter!.Value;
        Assert.Equal(earlyNotAfter - TimeSpan.FromDays(45), Acm.ScheduledWork.NextDueTime);

        Clock.Advance(earlyNotAfter - TimeSpan.FromDays(20) - TimeSpan.FromHours(12) - Clock.GetUtcNow());
        await RunDue();
        CertificateManagerEvent notice = Assert.Single(await Settle(seen, 4), e => e.Resources[0] == early && e.DetailType == "ACM Certificate Approaching Expiration");
        Assert.Equal(21, notice.Detail.DaysToExpiry);
        Assert.Equal("early.example.com", notice.Detail.CommonName);
        Assert.False(notice.Detail.InUse);
        Assert.Equal(CertificateType.PRIVATE, notice.Detail.CertificateType);
        // The later certificate, 30.5 days from expiry, crossed its 45-day mark too: one notice, 31 days left.
        Assert.Contains(seen, e => e.Resources[0] == late && e.Detail.DaysToExpiry == 31);
        DateTimeOffset lateNotAfter = (await Describe(late)).NotAfter!.Value;
        Assert.Equal(lateNotAfter - TimeSpan.FromDays(30), Acm.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task A_renewal_the_CA_refuses_fails_and_keeps_the_certificate()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca);
        await Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() });
        CertificateDetail before = await Describe(arn);
        await Pca.UpdateCertificateAuthorityAsync(new Pki.UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ca, Status = Pki.CertificateAuthorityStatus.DISABLED });
        await Acm.RenewCertificateAsync(new RenewCertificateRequest { CertificateArn = arn });
        CertificateDetail after = await Describe(arn);
        Assert.Equal(CertificateStatus.ISSUED, after.Status);
        Assert.Equal(before.Serial, after.Serial);
        Assert.Equal(RenewalStatus.FAILED, after.RenewalSummary!.RenewalStatus);
        Assert.Equal(FailureReason.PCA_INVALID_STATE, after.RenewalSummary.RenewalStatusReason);
        Assert.Equal(DomainStatus.SUCCESS, Assert.Single(after.RenewalSummary.DomainValidationOptions).ValidationStatus);
    }
}
