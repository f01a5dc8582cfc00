using Vaultlib.Certificates.Acm;

namespace Vaultlib.Tests.Certificates.Acm;

public abstract partial class AcmContractTests
{
    [Fact]
    public async Task ListCertificates_lists_only_RSA_2048_and_RSA_1024_certificates_unless_keyTypes_says_otherwise_as_AWS_does()
    {
        string rsa = await RequestDns("rsa.example.com");
        string ec = await RequestDns("ec.example.com", KeyAlgorithm.EC_prime256v1);
        Assert.Equal([rsa], (await Acm.ListCertificatesAsync(new ListCertificatesRequest())).CertificateSummaryList.Select(s => s.CertificateArn));
        Assert.Equal([ec], (await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = new Filters { KeyTypes = [KeyAlgorithm.EC_prime256v1] } })).CertificateSummaryList.Select(s => s.CertificateArn));
        CertificateSummary summary = (await Acm.ListCertificatesAsync(new ListCertificatesRequest())).CertificateSummaryList[0];
        Assert.Equal("rsa.example.com", summary.DomainName);
        Assert.Equal(CertificateStatus.PENDING_VALIDATION, summary.Status);
        Assert.Equal(CertificateType.AMAZON_ISSUED, summary.Type);
        Assert.Equal(CertificateExport.DISABLED, summary.ExportOption);
        Assert.False(summary.InUse);
        Assert.Equal(TestSupport.TestData.Epoch, summary.CreatedAt);
    }

    [Fact]
    public async Task ListCertificates_filters_by_status_and_usage_sorts_and_pages()
    {
        var arns = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            arns.Add(await RequestDns($"h{i}.example.com"));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await PublishRecords(arns[1]);
        await RunDue();
        Assert.Equal([arns[1]], (await Acm.ListCertificatesAsync(new ListCertificatesRequest { CertificateStatuses = [CertificateStatus.ISSUED] })).CertificateSummaryList.Select(s => s.CertificateArn));
        Assert.Equal([arns[1]], (await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.TLS_WEB_SERVER_AUTHENTICATION] } })).CertificateSummaryList.Select(s => s.CertificateArn));
        Assert.Equal([arns[1]], (await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = new Filters { KeyUsage = [KeyUsageName.KEY_ENCIPHERMENT] } })).CertificateSummaryList.Select(s => s.CertificateArn));
        Assert.Empty((await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.CODE_SIGNING] } })).CertificateSummaryList);
        Assert.Equal(4, (await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.NONE] } })).CertificateSummaryList.Count);

        var seen = new List<string>();
        string? token = null;
        do
        {
            ListCertificatesResponse page = await Acm.ListCertificatesAsync(new ListCertificatesRequest { MaxItems = 2, NextToken = token, SortBy = SortBy.CREATED_AT, SortOrder = SortOrder.DESCENDING });
            Assert.True(page.CertificateSummaryList.Count <= 2);
            seen.AddRange(page.CertificateSummaryList.Select(s => s.CertificateArn));
            token = page.NextToken;
        }
        while (token is not null);
        Assert.Equal(Enumerable.Reverse(arns), seen);

        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArgsException>(() => Acm.ListCertificatesAsync(new ListCertificatesRequest { NextToken = "forged" }));
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.InvalidArgsException>(() => Acm.ListCertificatesAsync(new ListCertificatesRequest { SortBy = SortBy.CREATED_AT }));
        Assert.Equal("MaxItems", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ListCertificatesAsync(new ListCertificatesRequest { MaxItems = 0 }))).MemberName);
        await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ListCertificatesAsync(new ListCertificatesRequest { MaxItems = 1001 }));
        Assert.Single((await Acm.ListCertificatesAsync(new ListCertificatesRequest { MaxItems = 1 })).CertificateSummaryList);
    }

    [Fact]
    public async Task ListCertificates_filters_ANY_usages_export_option_several_values_and_sorts_ascending()
    {
        string rsa = await IssuedDns("rsa.example.com");
        Clock.Advance(TimeSpan.FromSeconds(1));
        string pending = await RequestDns("pending.example.com");
        string exportable = (await Acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "export.example.com", ValidationMethod = ValidationMethod.DNS, Options = new CertificateOptions { Export = CertificateExport.ENABLED } })).CertificateArn;
        async Task<IEnumerable<string>> List(Filters filters, SortOrder? order = null) =>
            (await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = filters, SortBy = order is null ? null : SortBy.CREATED_AT, SortOrder = order })).CertificateSummaryList.Select(s => s.CertificateArn);

        Assert.Equal([rsa], await List(new Filters { KeyUsage = [KeyUsageName.ANY] }));
        Assert.Equal([rsa], await List(new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.ANY] }));
        Assert.Equal([rsa], await List(new Filters { KeyUsage = [KeyUsageName.CRL_SIGNING, KeyUsageName.KEY_ENCIPHERMENT] }));
        Assert.Equal([rsa], await List(new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.CODE_SIGNING, ExtendedKeyUsageName.TLS_WEB_CLIENT_AUTHENTICATION] }));
        Assert.Equal([exportable], await List(new Filters { ExportOption = CertificateExport.ENABLED }));
        Assert.Equal([rsa, pending], await List(new Filters { ExportOption = CertificateExport.DISABLED }, SortOrder.ASCENDING));
        Assert.Equal("NextToken", (await Assert.ThrowsAsync<Vaultlib.Certificates.Acm.ValidationException>(() => Acm.ListCertificatesAsync(new ListCertificatesRequest { NextToken = "" }))).MemberName);
    }

    [Fact]
    public async Task ListCertificates_applies_time_outs_and_reads_another_instance_s_certificates()
    {
        string arn = await RequestDns("late.example.com");
        Clock.Advance(TimeSpan.FromHours(72));
        Assert.Equal(CertificateStatus.VALIDATION_TIMED_OUT, Assert.Single((await Acm.ListCertificatesAsync(new ListCertificatesRequest())).CertificateSummaryList).Status);
        using VaultlibHost second = NewHost();
        _ = second.CertificateManager; // made now: its view is loaded before the next certificate exists
        string fresh = await RequestDns("fresh.example.com");
        Assert.Contains((await second.CertificateManager.ListCertificatesAsync(new ListCertificatesRequest())).CertificateSummaryList, s => s.CertificateArn == fresh);
        Assert.Contains((await second.CertificateManager.ListCertificatesAsync(new ListCertificatesRequest())).CertificateSummaryList, s => s.CertificateArn == arn);
    }

    [Fact]
    public async Task ListCertificates_ANY_needs_a_usage_and_NONE_an_empty_extended_key_usage()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=bare.example.com", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using System.Security.Cryptography.X509Certificates.X509Certificate2 bare = request.CreateSelfSigned(Clock.GetUtcNow().AddDays(-1), Clock.GetUtcNow().AddDays(30));
        string arn = (await Acm.ImportCertificateAsync(new ImportCertificateRequest { Certificate = System.Text.Encoding.ASCII.GetBytes(bare.ExportCertificatePem()), PrivateKey = System.Text.Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()) })).CertificateArn;
        async Task<IEnumerable<string>> List(Filters filters) => (await Acm.ListCertificatesAsync(new ListCertificatesRequest { Includes = filters })).CertificateSummaryList.Select(s => s.CertificateArn);
        Assert.Empty(await List(new Filters { KeyUsage = [KeyUsageName.ANY] }));
        Assert.Empty(await List(new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.ANY] }));
        Assert.Equal([arn], await List(new Filters { ExtendedKeyUsage = [ExtendedKeyUsageName.NONE] }));
        Assert.Equal(TestSupport.TestData.Epoch, Assert.Single((await Acm.ListCertificatesAsync(new ListCertificatesRequest { SortBy = SortBy.CREATED_AT, SortOrder = SortOrder.ASCENDING })).CertificateSummaryList).ImportedAt);
    }
}
