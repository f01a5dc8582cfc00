using System.Text.RegularExpressions;
using Vaultlib.Certificates.Acm;
using Pki = Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task RequestCertificate_with_DNS_waits_for_validation_with_a_CNAME_record_shaped_as_ACM_s_per_domain()
    {
        string arn = await RequestDns("www.example.com", null, "*.api.example.com");
        CertificateDetail detail = await Describe(arn);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, detail.Status);
        Assert.Equal(CertificateType.AMAZON_ISSUED, detail.Type);
        Assert.Equal(KeyAlgorithm.RSA_2048, detail.KeyAlgorithm);
        Assert.Equal(["www.example.com", "*.api.example.com"], detail.SubjectAlternativeNames);
        Assert.Equal(RenewalEligibility.INELIGIBLE, detail.RenewalEligibility);
        Assert.Equal(CertificateTransparencyLoggingPreference.ENABLED, detail.Options!.CertificateTransparencyLoggingPreference);
        Assert.Null(detail.NotAfter);
        Assert.Equal(2, detail.DomainValidationOptions!.Count);
        DomainValidation www = detail.DomainValidationOptions[0];
        Assert.Equal(DomainStatus.PENDING_VALIDATION, www.ValidationStatus);
        Assert.Equal(ValidationMethod.DNS, www.ValidationMethod);
        Assert.Equal(RecordType.CNAME, www.ResourceRecord!.Type);
        Assert.Matches(new Regex(@"^_[0-9a-f]{32}\.www\.example\.com\.$"), www.ResourceRecord.Name);
        Assert.Matches(new Regex(@"^_[0-9a-f]{32}\.[a-z]{10}\.acm-validations\.aws\.$"), www.ResourceRecord.Value);

        // A wildcard is validated through its base domain.
        DomainValidation wildcard = detail.DomainValidationOptions[1];
        Assert.Equal("api.example.com", wildcard.ValidationDomain);
        Assert.Matches(new Regex(@"^_[0-9a-f]{32}\.api\.example\.com\.$"), wildcard.ResourceRecord!.Name);

        // The record is the account's for the domain: a second certificate for it asks for the same one, as in ACM.
        CertificateDetail second = await Describe(await RequestDns("www.example.com"));
        Assert.Equal(www.ResourceRecord, second.DomainValidationOptions![0].ResourceRecord);
        Assert.NotEqual(www.ResourceRecord.Name, wildcard.ResourceRecord.Name);
    }

    [Fact]
    public async Task RequestCertificate_before_issue_GetCertificate_and_ExportCertificate_are_RequestInProgressException()
    {
        string arn = await RequestDns();
        await Assert.ThrowsAsync<RequestInProgressException>(() => Acm.GetCertificateAsync(new Vaultlib.Certificates.Acm.GetCertificateRequest { CertificateArn = arn }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ExportCertificateAsync(new ExportCertificateRequest { CertificateArn = arn, Passphrase = "passphrase"u8.ToArray() }));
    }

    [Fact]
    public async Task RequestCertificate_refuses_what_ACM_refuses()
    {
        Task<RequestCertificateResponse> Request(RequestCertificateRequest r) => Acm.RequestCertificateAsync(r);
        Assert.Equal("DomainName", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "-bad-.example.com" }))).MemberName);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "localhost" }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = new string('a', 60) + ".example.com" }));
        Assert.Equal("SubjectAlternativeNames", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", SubjectAlternativeNames = ["bad_name.example.com"] }))).MemberName);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.LimitExceededException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", SubjectAlternativeNames = [.. Enumerable.Range(0, 10).Select(i => $"h{i}.example.com")] }));
        Assert.Equal("KeyAlgorithm", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", KeyAlgorithm = KeyAlgorithm.RSA_4096 }))).MemberName);
        Assert.Equal("ValidationMethod", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", ValidationMethod = ValidationMethod.HTTP }))).MemberName);
        Assert.Equal("IdempotencyToken", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", IdempotencyToken = "not-word" }))).MemberName);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArnException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", CertificateAuthorityArn = "arn:aws:kms:us-east-1:111122223333:key/x" }));
        await Assert.ThrowsAsync<InvalidDomainValidationOptionsException>(() => Request(new RequestCertificateRequest { DomainName = "www.example.com", DomainValidationOptions = [new DomainValidationOption { DomainName = "www.example.com", ValidationDomain = "other.com" }] }));
        await Assert.ThrowsAsync<InvalidDomainValidationOptionsException>(() => Request(new RequestCertificateRequest { DomainName = "www.example.com", DomainValidationOptions = [new DomainValidationOption { DomainName = "mail.example.com", ValidationDomain = "example.com" }] }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidTagException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", Tags = [new Tag { Key = "aws:reserved", Value = "x" }] }));
        Assert.Empty((await Acm.ListCertificatesAsync(new ListCertificatesRequest())).CertificateSummaryList);

        // Ten domains, the first of 64 characters, is within the limits.
        string longest = new string('a', 52) + ".example.com";
        Assert.Equal(64, longest.Length);
        await Request(new RequestCertificateRequest { DomainName = longest, SubjectAlternativeNames = [.. Enumerable.Range(0, 9).Select(i => $"h{i}.example.com")] });
    }

    [Fact]
    public async Task RequestCertificate_with_the_same_idempotency_token_within_an_hour_returns_the_same_certificate()
    {
        var request = new RequestCertificateRequest { DomainName = "example.com", ValidationMethod = ValidationMethod.DNS, IdempotencyToken = "token1" };
        string first = (await Acm.RequestCertificateAsync(request)).CertificateArn;
        Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(first, (await Acm.RequestCertificateAsync(request)).CertificateArn);
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.NotEqual(first, (await Acm.RequestCertificateAsync(request)).CertificateArn);
    }

    [Fact]
    public async Task RequestCertificate_with_a_Private_CA_issues_a_private_certificate_at_once_signed_by_that_CA()
    {
        string ca = await ActiveRootAsync();
        string arn = await RequestPrivate(ca, "api.internal.example");
        CertificateDetail detail = await Describe(arn);
        Assert.Equal(CertificateStatus.ISSUED, detail.Status);
        Assert.Equal(CertificateType.PRIVATE, detail.Type);
        Assert.Equal(ca, detail.CertificateAuthorityArn);
        Assert.Equal(KeyAlgorithm.EC_prime256v1, detail.KeyAlgorithm);
        Assert.Equal("CN=Vaultlib Test Root", detail.Issuer);
        Assert.Equal("SHA256WITHECDSA", detail.SignatureAlgorithm);
        Assert.Equal(TestSupport.TestData.Epoch.AddDays(395), detail.NotAfter);
        Assert.Equal(RenewalEligibility.INELIGIBLE, detail.RenewalEligibility); // until exported or in use
        Assert.Contains(detail.ExtendedKeyUsages!, e => e.Name == ExtendedKeyUsageName.TLS_WEB_SERVER_AUTHENTICATION && e.OID == "1.3.6.1.5.5.7.3.1");
        Assert.Contains(detail.KeyUsages!, k => k.Name == KeyUsageName.DIGITAL_SIGNATURE);

        using var temp = new TestSupport.TempDirectory();
        Vaultlib.Certificates.Acm.GetCertificateResponse got = await Acm.GetCertificateAsync(new Vaultlib.Certificates.Acm.GetCertificateRequest { CertificateArn = arn });
        File.WriteAllText(temp.Combine("leaf.pem"), got.Certificate);
        File.WriteAllText(temp.Combine("chain.pem"), got.CertificateChain);
        Assert.StartsWith("exit 0", OpenSsl("verify -attime 1767312000 -CAfile chain.pem leaf.pem", temp.Path), StringComparison.Ordinal);

        // The CA knows it: revoked there, ACM reports it REVOKED with the CA's date and reason, and serves it no more.
        Assert.NotNull(Acm.FindServerCertificate("api.internal.example"));
        Clock.Advance(TimeSpan.FromHours(1));
        await Pca.RevokeCertificateAsync(new Pki.RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = detail.Serial!, RevocationReason = Pki.RevocationReason.CERTIFICATE_AUTHORITY_COMPROMISE });
        Assert.Null(Acm.FindServerCertificate("api.internal.example"));
        CertificateDetail revoked = await Describe(arn);
        Assert.Equal(CertificateStatus.REVOKED, revoked.Status);
        Assert.Equal(Clock.GetUtcNow(), revoked.RevokedAt);
        Assert.Equal(RevocationReason.CA_COMPROMISE, revoked.RevocationReason);
        Assert.Null(Acm.FindServerCertificate("api.internal.example"));
        Assert.Equal(RenewalEligibility.INELIGIBLE, revoked.RenewalEligibility);
    }

    [Fact]
    public async Task RequestCertificate_with_a_Private_CA_that_refuses_fails_with_AWS_s_reason()
    {
        string ec = await ActiveRootAsync();
        CertificateDetail rsaOnEc = await Describe(await RequestPrivate(ec, key: KeyAlgorithm.RSA_2048));
        Assert.Equal(CertificateStatus.FAILED, rsaOnEc.Status);
        Assert.Equal(FailureReason.PCA_INVALID_ARGS, rsaOnEc.FailureReason);

        await Pca.UpdateCertificateAuthorityAsync(new Pki.UpdateCertificateAuthorityRequest { CertificateAuthorityArn = ec, Status = Pki.CertificateAuthorityStatus.DISABLED });
        Assert.Equal(FailureReason.PCA_INVALID_STATE, (await Describe(await RequestPrivate(ec))).FailureReason);

        string missing = ec[..^36] + Guid.NewGuid();
        Assert.Equal(FailureReason.PCA_RESOURCE_NOT_FOUND, (await Describe(await RequestPrivate(missing))).FailureReason);
        string otherRegion = ec.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal);
        Assert.Equal(FailureReason.PCA_INVALID_ARN, (await Describe(await RequestPrivate(otherRegion))).FailureReason);
        string failed = await RequestPrivate(missing);
        await Assert.ThrowsAsync<RequestInProgressException>(() => Acm.GetCertificateAsync(new Vaultlib.Certificates.Acm.GetCertificateRequest { CertificateArn = failed }));
    }

    [Fact]
    public async Task RequestCertificate_is_audited_as_ACM_and_authorized_by_acm_actions()
    {
        string arn = await RequestDns();
        Assert.Contains(Audit.Events, e => e.EventSource == "acm.amazonaws.com" && e.EventName == "RequestCertificate");
        var caller = new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:role/reader" };
        Host.IdentityPolicies.Set(caller.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["acm:DescribeCertificate","acm:List*"],"Resource":"*"}]}""");
        CertificateManager reader = Acm.AsCaller(caller);
        Assert.Equal(arn, (await reader.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate.CertificateArn);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.AccessDeniedException>(() => reader.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "example.com" }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.AccessDeniedException>(() => reader.DeleteCertificateAsync(new DeleteCertificateRequest { CertificateArn = arn }));
        Assert.Contains(Audit.Events, e => e.EventName == "DeleteCertificate" && e.ErrorCode == "AccessDeniedException");
    }

    [Fact]
    public async Task RequestCertificate_checks_each_limit_at_its_edge()
    {
        Task<RequestCertificateResponse> Request(RequestCertificateRequest r) => Acm.RequestCertificateAsync(r);
        string Sans(Vaultlib.Certificates.Acm.ValidationException e) => e.MemberName;
        Assert.Equal("SubjectAlternativeNames", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", SubjectAlternativeNames = [] }))));
        Assert.Equal("SubjectAlternativeNames", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", SubjectAlternativeNames = [.. Enumerable.Range(0, 101).Select(i => $"h{i}.example.com")] }))));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.LimitExceededException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", SubjectAlternativeNames = [.. Enumerable.Range(0, 100).Select(i => $"h{i}.example.com")] }));
        Assert.Equal("IdempotencyToken", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", IdempotencyToken = "" }))));
        Assert.Equal("IdempotencyToken", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", IdempotencyToken = new string('t', 33) }))));
        await Request(new RequestCertificateRequest { DomainName = "example.com", IdempotencyToken = new string('t', 32) });
        await Request(new RequestCertificateRequest { DomainName = "example.com", IdempotencyToken = "t" });
        Assert.Equal("ValidationMethod", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", ValidationMethod = (ValidationMethod)99 }))));
        Assert.Equal("KeyAlgorithm", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", KeyAlgorithm = (KeyAlgorithm)99 }))));
        Assert.Equal("DomainValidationOptions", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", DomainValidationOptions = [] }))));
        Assert.Equal("Tags", Sans(await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", Tags = [] }))));
        string shortCa = "arn:aws:acm-pca:a:1:x";
        Assert.Equal(21, shortCa.Length);
        await Request(new RequestCertificateRequest { DomainName = "example.com", CertificateAuthorityArn = shortCa }); // well-formed: FAILED later, not refused
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArnException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", CertificateAuthorityArn = "arn:aws:acm-pca:a:1" }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArnException>(() => Request(new RequestCertificateRequest { DomainName = "example.com", CertificateAuthorityArn = "arn:aws:acm-pca:us-east-1:1:" + new string('x', 2030) }));
    }

    [Fact]
    public async Task RequestCertificate_records_what_was_asked_and_ACM_s_defaults()
    {
        string arn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest
        {
            DomainName = "example.com",
            ValidationMethod = ValidationMethod.DNS,
            Options = new CertificateOptions { CertificateTransparencyLoggingPreference = CertificateTransparencyLoggingPreference.DISABLED, Export = CertificateExport.ENABLED },
            Tags = [new Tag { Key = "team", Value = "web" }],
        })).CertificateArn;
        CertificateDetail detail = await Describe(arn);
        Assert.Equal(CertificateTransparencyLoggingPreference.DISABLED, detail.Options!.CertificateTransparencyLoggingPreference);
        Assert.Equal(CertificateExport.ENABLED, detail.Options.Export);
        Assert.Equal("web", Assert.Single((await Acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = arn })).Tags).Value);
        Assert.Null(detail.DomainValidationOptions![0].ValidationEmails);

        string email = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "example.org" })).CertificateArn;
        CertificateDetail emailed = await Describe(email);
        Assert.Equal(ValidationMethod.EMAIL, emailed.DomainValidationOptions![0].ValidationMethod);
        Assert.Equal(CertificateExport.DISABLED, emailed.Options!.Export);
        Assert.Empty((await Acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = email })).Tags);

        string ca = await ActiveRootAsync();
        string privateArn = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "p.internal.example", CertificateAuthorityArn = ca, KeyAlgorithm = KeyAlgorithm.EC_prime256v1, ValidationMethod = ValidationMethod.EMAIL, Options = new CertificateOptions { Export = CertificateExport.DISABLED } })).CertificateArn;
        CertificateDetail privateDetail = await Describe(privateArn);
        DomainValidation validation = Assert.Single(privateDetail.DomainValidationOptions!);
        Assert.Null(validation.ValidationMethod);
        Assert.Equal(DomainStatus.SUCCESS, validation.ValidationStatus);
        Assert.Null(validation.ValidationEmails);
        Assert.Equal(CertificateExport.ENABLED, privateDetail.Options!.Export);
        Assert.DoesNotContain(Mail.Sent, m => m.CertificateArn == privateArn); // a private certificate is not validated

        // The idempotency window is an hour, and the token is the first domain's.
        var request = new RequestCertificateRequest { DomainName = "idem.example.com", ValidationMethod = ValidationMethod.DNS, IdempotencyToken = "same" };
        string first = (await Acm.RequestCertificateAsync(request)).CertificateArn;
        Assert.NotEqual(first, (await Acm.RequestCertificateAsync(request with { DomainName = "other.example.com" })).CertificateArn);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.NotEqual(first, (await Acm.RequestCertificateAsync(request)).CertificateArn);
    }

    [Fact]
    public async Task RequestCertificate_takes_100_validation_options_and_CA_ARNs_of_20_and_2048_characters()
    {
        await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", DomainValidationOptions = [.. Enumerable.Repeat(new DomainValidationOption { DomainName = "www.example.com", ValidationDomain = "example.com" }, 100)] });
        Assert.Equal("DomainValidationOptions", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", DomainValidationOptions = [.. Enumerable.Repeat(new DomainValidationOption { DomainName = "www.example.com", ValidationDomain = "example.com" }, 101)] }))).MemberName);
        string twenty = "arn:a:acm-pca::1:x/y";
        Assert.Equal(20, twenty.Length);
        Assert.Equal(FailureReason.PCA_INVALID_ARN, (await Describe((await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "p.example.com", CertificateAuthorityArn = twenty })).CertificateArn)).FailureReason);
        string longest = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/" + new string('x', 2048 - 61);
        Assert.Equal(2048, longest.Length);
        await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "p.example.com", CertificateAuthorityArn = longest });
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArnException>(() => Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "p.example.com", CertificateAuthorityArn = longest + "x" }));
    }
}
