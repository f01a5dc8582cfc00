using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vaultlib.Certificates;
using Vaultlib.Certificates.Acm;
using AcmKeyAlgorithm = Vaultlib.Certificates.Acm.KeyAlgorithm;

namespace Vaultlib.Tool;

/// <summary>
/// The endpoint's own HTTPS certificates, from Vaultlib's own CA: on start, a root CA of this vault's Private CA
/// (tagged <c>vaultlib:serve</c>, made once and kept in the store) and, for each HTTPS host name, a certificate it
/// issues (EndEntityServerAuthCertificate, 397 days; for <c>localhost</c> also naming 127.0.0.1 and ::1), imported into
/// ACM (tagged too), because ACM's own requests refuse names such as <c>localhost</c>. Imported certificates are not
/// renewed by ACM, so each start re-issues one with less than 30 days left, re-imported under the same ARN; Kestrel
/// serves the new one from the next handshake. The root's PEM is written where <c>--ca-bundle</c> says, for clients to trust
/// (<c>AWS_CA_BUNDLE</c>); it is also <c>aws acm-pca get-certificate-authority-certificate</c>.
/// </summary>
internal sealed class EndpointCertificates(IServiceProvider services, IReadOnlyList<string> hostNames, string? caBundlePath) : IHostedService
{
    internal const string TagKey = "vaultlib:serve";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ICertificateAuthority pca = services.GetRequiredService<ICertificateAuthority>();
        CertificateManager acm = services.GetRequiredService<CertificateManager>();
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        string root = await FindRootAsync(pca, cancellationToken).ConfigureAwait(false) ?? await CreateRootAsync(pca, cancellationToken).ConfigureAwait(false);
        foreach (string host in hostNames)
        {
            (string? arn, DateTimeOffset notAfter) = await FindCertificateAsync(acm, host, cancellationToken).ConfigureAwait(false);
            if (arn is null || notAfter - time.GetUtcNow() < TimeSpan.FromDays(30))
            {
                await IssueAsync(pca, acm, root, host, arn, cancellationToken).ConfigureAwait(false);
            }
        }

        if (caBundlePath is not null)
        {
            string pem = (await pca.GetCertificateAuthorityCertificateAsync(new GetCertificateAuthorityCertificateRequest { CertificateAuthorityArn = root }, cancellationToken).ConfigureAwait(false)).Certificate!;
            await File.WriteAllTextAsync(caBundlePath, pem.TrimEnd() + "\n", cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<string?> FindRootAsync(ICertificateAuthority pca, CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            ListCertificateAuthoritiesResponse page = await pca.ListCertificateAuthoritiesAsync(new ListCertificateAuthoritiesRequest { NextToken = next }, cancellationToken).ConfigureAwait(false);
            foreach (CertificateAuthority ca in page.CertificateAuthorities.Where(c => c.Status == CertificateAuthorityStatus.ACTIVE))
            {
                ListTagsResponse tags = await pca.ListTagsAsync(new ListTagsRequest { CertificateAuthorityArn = ca.Arn }, cancellationToken).ConfigureAwait(false);
                if (tags.Tags.Any(t => t.Key == TagKey))
                {
                    return ca.Arn;
                }
            }

            next = page.NextToken;
        }
        while (next is not null);
        return null;
    }

    private static async Task<string> CreateRootAsync(ICertificateAuthority pca, CancellationToken cancellationToken)
    {
        string root = (await pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest
        {
            CertificateAuthorityType = CertificateAuthorityType.ROOT,
            CertificateAuthorityConfiguration = new CertificateAuthorityConfiguration
            {
                KeyAlgorithm = Certificates.KeyAlgorithm.EC_prime256v1,
                SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA,
                Subject = new ASN1Subject { Organization = "Vaultlib", CommonName = "Vaultlib local endpoint CA" },
            },
            Tags = [new Certificates.Tag { Key = TagKey, Value = "endpoint-ca" }],
        }, cancellationToken).ConfigureAwait(false)).CertificateAuthorityArn;
        string csr = (await pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = root }, cancellationToken).ConfigureAwait(false)).Csr;
        string issued = (await pca.IssueCertificateAsync(new IssueCertificateRequest
        {
            CertificateAuthorityArn = root,
            Csr = Encoding.ASCII.GetBytes(csr),
            SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA,
            TemplateArn = "arn:aws:acm-pca:::template/RootCACertificate/V1",
            Validity = new Validity { Type = ValidityPeriodType.YEARS, Value = 10 },
        }, cancellationToken).ConfigureAwait(false)).CertificateArn;
        string pem = (await pca.GetCertificateAsync(new Certificates.GetCertificateRequest { CertificateAuthorityArn = root, CertificateArn = issued }, cancellationToken).ConfigureAwait(false)).Certificate;
        await pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = root, Certificate = Encoding.ASCII.GetBytes(pem) }, cancellationToken).ConfigureAwait(false);
        return root;
    }

    /// <summary>The imported certificate this tool made for <paramref name="host"/> (by its tag) and its expiry, if any.</summary>
    private static async Task<(string? Arn, DateTimeOffset NotAfter)> FindCertificateAsync(CertificateManager acm, string host, CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            ListCertificatesResponse page = await acm.ListCertificatesAsync(new ListCertificatesRequest
            {
                Includes = new Filters { KeyTypes = [AcmKeyAlgorithm.EC_prime256v1] },
                NextToken = next,
            }, cancellationToken).ConfigureAwait(false);
            foreach (CertificateSummary candidate in page.CertificateSummaryList.Where(c => c.Type == CertificateType.IMPORTED && c.DomainName == host))
            {
                ListTagsForCertificateResponse tags = await acm.ListTagsForCertificateAsync(new ListTagsForCertificateRequest { CertificateArn = candidate.CertificateArn }, cancellationToken).ConfigureAwait(false);
                if (tags.Tags?.Any(t => t.Key == TagKey && t.Value == host) == true)
                {
                    return (candidate.CertificateArn, candidate.NotAfter ?? DateTimeOffset.MinValue);
                }
            }

            next = page.NextToken;
        }
        while (next is not null);
        return (null, default);
    }

    /// <summary>Issues a server certificate for <paramref name="host"/> from the root and imports it into ACM (over <paramref name="arn"/> when renewing).</summary>
    private static async Task IssueAsync(ICertificateAuthority pca, CertificateManager acm, string root, string host, string? arn, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        if (host == "localhost")
        {
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
        }

        var request = new CertificateRequest(new X500DistinguishedName($"CN={host}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(names.Build());
        string csr = request.CreateSigningRequestPem();
        string issued = (await pca.IssueCertificateAsync(new IssueCertificateRequest
        {
            CertificateAuthorityArn = root,
            Csr = Encoding.ASCII.GetBytes(csr),
            SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA,
            TemplateArn = "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1",
            Validity = new Validity { Type = ValidityPeriodType.DAYS, Value = 397 },
        }, cancellationToken).ConfigureAwait(false)).CertificateArn;
        Certificates.GetCertificateResponse certificate = await pca.GetCertificateAsync(new Certificates.GetCertificateRequest { CertificateAuthorityArn = root, CertificateArn = issued }, cancellationToken).ConfigureAwait(false);
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        byte[] pem = new byte[PemEncoding.GetEncodedSize("PRIVATE KEY".Length, pkcs8.Length)];
        try
        {
            char[] chars = PemEncoding.Write("PRIVATE KEY", pkcs8);
            Encoding.ASCII.GetBytes(chars, pem);
            Array.Clear(chars);
            await acm.ImportCertificateAsync(new ImportCertificateRequest
            {
                CertificateArn = arn,
                Certificate = Encoding.ASCII.GetBytes(certificate.Certificate),
                PrivateKey = pem,
                CertificateChain = certificate.CertificateChain is { } chain ? Encoding.ASCII.GetBytes(chain) : null,
                Tags = arn is null ? [new Certificates.Acm.Tag { Key = TagKey, Value = host }] : null,
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            CryptographicOperations.ZeroMemory(pem);
        }
    }
}
