using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates;

/// <summary>Contract tests: CreateCertificateAuthority, and a root CA's way to ACTIVE (its CSR, its own certificate, the import).</summary>
public abstract partial class PrivateCaContractTests
{
    [SkippableTheory]
    [InlineData(KeyAlgorithm.EC_prime256v1)]
    [InlineData(KeyAlgorithm.EC_secp384r1)]
    [InlineData(KeyAlgorithm.RSA_2048)]
    public async Task A_root_CA_waits_for_its_certificate_then_issues_it_to_itself_and_becomes_ACTIVE(KeyAlgorithm key)
    {
        string arn = (await Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(key), CertificateAuthorityType = CertificateAuthorityType.ROOT, Tags = [new Tag { Key = "team", Value = "pki" }] })).CertificateAuthorityArn;
        CertificateAuthority pending = await Describe(arn);
        Assert.Equal((CertificateAuthorityStatus.PENDING_CERTIFICATE, CertificateAuthorityType.ROOT, CertificateAuthorityUsageMode.GENERAL_PURPOSE, "111122223333"), (pending.Status, pending.Type, pending.UsageMode, pending.OwnerAccount));
        Assert.Null(pending.Serial);
        Assert.Null(pending.NotAfter);
        await Assert.ThrowsAsync<InvalidStateException>(() => Pca.GetCertificateAuthorityCertificateAsync(new GetCertificateAuthorityCertificateRequest { CertificateAuthorityArn = arn }));

        // The CSR is the CA's: its subject, its key, a signature that verifies.
        string csrPem = (await Pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = arn })).Csr;
        CertificateRequest csr = CertificateRequest.LoadSigningRequestPem(csrPem, System.Security.Cryptography.HashAlgorithmName.SHA256);
        Assert.Equal("C=US, O=Vaultlib, CN=Vaultlib Test Root", csr.SubjectName.Name);

        // Only the root's own CSR, with the RootCACertificate template, while it is pending.
        await Assert.ThrowsAsync<InvalidStateException>(() => Issue(arn, Csr("leaf").Pem, signing: Config(key).SigningAlgorithm));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Issue(arn, Csr("leaf").Pem, template: Root, signing: Config(key).SigningAlgorithm));

        string activated = await ActiveRootAsync(key);
        CertificateAuthority active = await Describe(activated);
        Assert.Equal(CertificateAuthorityStatus.ACTIVE, active.Status);
        Assert.Equal(Clock.GetUtcNow().AddYears(10), active.NotAfter);
        Assert.Matches("^([0-9a-f]{2}:){15}[0-9a-f]{2}$", active.Serial!);
        GetCertificateAuthorityCertificateResponse own = await Pca.GetCertificateAuthorityCertificateAsync(new GetCertificateAuthorityCertificateRequest { CertificateAuthorityArn = activated });
        Assert.Null(own.CertificateChain);
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(own.Certificate);
        Assert.Equal(certificate.SubjectName.Name, certificate.IssuerName.Name);
        X509BasicConstraintsExtension constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority && constraints.Critical && !constraints.HasPathLengthConstraint);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Contains(Audit.Events, e => e.EventSource == "acm-pca.amazonaws.com" && e.EventName == "CreateCertificateAuthority");
    }

    [SkippableFact]
    public async Task The_configuration_is_checked_as_AWS_checks_it()
    {
        async Task Refused<TException>(CertificateAuthorityConfiguration configuration, string? token = null, IReadOnlyList<Tag>? tags = null)
            where TException : Exception =>
            await Assert.ThrowsAsync<TException>(() => Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = configuration, CertificateAuthorityType = CertificateAuthorityType.ROOT, IdempotencyToken = token, Tags = tags }));

        await Refused<InvalidArgsException>(Config(KeyAlgorithm.EC_prime256v1, SigningAlgorithm.SHA256WITHRSA));
        await Refused<InvalidArgsException>(Config(KeyAlgorithm.RSA_2048, SigningAlgorithm.SHA384WITHECDSA));
        await Refused<InvalidArgsException>(Config(KeyAlgorithm.ML_DSA_65, SigningAlgorithm.ML_DSA_65));
        await Refused<InvalidArgsException>(Config() with { Subject = new ASN1Subject() });
        await Refused<InvalidArgsException>(Config() with { Subject = new ASN1Subject { Country = "USA" } });
        await Refused<InvalidArgsException>(Config() with { Subject = new ASN1Subject { CommonName = new string('c', 65) } });
        await Refused<InvalidArgsException>(Config() with { Subject = new ASN1Subject { SerialNumber = "not*printable" } });
        await Refused<InvalidArgsException>(Config(), token: new string('t', 37));
        await Refused<InvalidTagException>(Config(), tags: [new Tag { Key = "aws:reserved", Value = "x" }]);
        await Refused<InvalidArgsException>(Config(), tags: []);
        await Assert.ThrowsAsync<InvalidArgsException>(() => Pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(), CertificateAuthorityType = CertificateAuthorityType.ROOT, RevocationConfiguration = new RevocationConfiguration { CrlConfiguration = new CrlConfiguration { Enabled = true, ExpirationInDays = 5001 } } }));
        Assert.Empty((await Pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest())).CertificateAuthorities);
    }

    [SkippableFact]
    public async Task An_idempotency_token_returns_the_same_CA_for_five_minutes_and_listing_pages_in_creation_order()
    {
        var request = new CreateCertificateAuthorityRequest { CertificateAuthorityConfiguration = Config(), CertificateAuthorityType = CertificateAuthorityType.ROOT, IdempotencyToken = "once" };
        string first = (await Pca.CreateCertificateAuthorityAsync(request)).CertificateAuthorityArn;
        Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(first, (await Pca.CreateCertificateAuthorityAsync(request)).CertificateAuthorityArn);
        Clock.Advance(TimeSpan.FromMinutes(1));
        string second = (await Pca.CreateCertificateAuthorityAsync(request)).CertificateAuthorityArn;
        Assert.NotEqual(first, second);
        Clock.Advance(TimeSpan.FromSeconds(1));
        string third = (await Pca.CreateCertificateAuthorityAsync(request with { IdempotencyToken = null })).CertificateAuthorityArn;

        ListCertificateAuthoritiesResponse page = await Pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest { MaxResults = 2 });
        Assert.Equal([first, second], page.CertificateAuthorities.Select(c => c.Arn));
        ListCertificateAuthoritiesResponse rest = await Pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest { MaxResults = 2, NextToken = page.NextToken });
        Assert.Equal([third], rest.CertificateAuthorities.Select(c => c.Arn));
        Assert.Null(rest.NextToken);
        Assert.Empty((await Pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest { ResourceOwner = "OTHER_ACCOUNTS" })).CertificateAuthorities);
        await Assert.ThrowsAsync<InvalidNextTokenException>(() => Pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest { NextToken = "bogus" }));
        await Assert.ThrowsAsync<InvalidArgsException>(() => Pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest { MaxResults = 1001 }));
    }

    [SkippableFact]
    public async Task ARNs_of_another_shape_Region_or_account_are_InvalidArn_and_unknown_CAs_ResourceNotFound()
    {
        foreach (string bad in new[] { "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/abc", "arn:aws:acm-pca:us-east-1:444455556666:certificate-authority/abc", "arn:aws:acm:us-east-1:111122223333:certificate/abc", "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/abc/certificate/01" })
        {
            await Assert.ThrowsAsync<InvalidArnException>(() => Describe(bad));
        }

        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(() => Describe("arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/00000000-0000-0000-0000-000000000000"));
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);
    }
}
