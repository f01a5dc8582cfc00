using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.AspNetCore;
using Vaultlib.Certificates;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AspNetCore;

/// <summary>
/// <c>MapVaultlibCrl</c> on a real Kestrel server on loopback: the URL in an issued certificate's CRL distribution point
/// (with the server's address as the CA's <c>CustomCname</c>) answers the CA's current CRL, which lists a revocation
/// at once; other paths are 404.
/// </summary>
public sealed class CrlEndpointTests
{
    [Fact]
    public async Task The_distribution_point_in_a_certificate_answers_the_CA_s_current_CRL()
    {
        await using LoopbackCa server = await LoopbackCa.StartAsync(app => app.MapVaultlibCrl(), TestData.NewClock());
        string host = server.Host;
        PrivateCertificateAuthority pca = server.Pca;
        (string ca, _) = await server.ActiveRootAsync(KeyAlgorithm.EC_prime256v1, SigningAlgorithm.SHA256WITHECDSA, new RevocationConfiguration { CrlConfiguration = new CrlConfiguration { Enabled = true, CustomCname = host } });
        using var key = System.Security.Cryptography.ECDsa.Create();
        string leafArn = (await pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = ca, Csr = Encoding.ASCII.GetBytes(new CertificateRequest("CN=leaf", key, System.Security.Cryptography.HashAlgorithmName.SHA256).CreateSigningRequestPem()), SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, Validity = new Validity { Type = ValidityPeriodType.DAYS, Value = 1 } })).CertificateArn;

        string url = $"http://{host}/crl/{ca[^36..]}.crl";
        using X509Certificate2 leaf = X509Certificate2.CreateFromPem((await pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = leafArn })).Certificate);
        Assert.Contains(url, Encoding.ASCII.GetString(leaf.Extensions.Single(e => e.Oid?.Value == "2.5.29.31").RawData), StringComparison.Ordinal);

        using var http = new HttpClient();
        using HttpResponseMessage before = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("application/pkix-crl", before.Content.Headers.ContentType!.MediaType);
        Assert.Empty(new CertificateRevocationListParsed(await before.Content.ReadAsByteArrayAsync()).Serials);

        await pca.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = leafArn[^32..], RevocationReason = RevocationReason.SUPERSEDED });
        byte[] after = await http.GetByteArrayAsync(new Uri(url));
        Assert.Equal([leafArn[^32..]], new CertificateRevocationListParsed(after).Serials);

        foreach (string path in new[] { "/crl/00000000-0000-0000-0000-000000000000.crl", "/crl/not-an-id.crl", $"/crl/{ca[^36..]}.pem" })
        {
            using HttpResponseMessage missing = await http.GetAsync(new Uri($"http://{host}{path}"));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

    }

    /// <summary>The serial numbers a DER CRL lists, read with .NET's ASN.1 reader (RFC 5280's TBSCertList).</summary>
    private sealed class CertificateRevocationListParsed
    {
        public CertificateRevocationListParsed(byte[] der)
        {
            var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
            System.Formats.Asn1.AsnReader tbs = reader.ReadSequence();
            tbs.ReadInteger(); // version
            tbs.ReadSequence(); // signature algorithm
            tbs.ReadSequence(); // issuer
            tbs.ReadUtcTime(); // thisUpdate
            if (tbs.HasData && tbs.PeekTag().TagValue == (int)System.Formats.Asn1.UniversalTagNumber.UtcTime)
            {
                tbs.ReadUtcTime(); // nextUpdate
            }

            if (tbs.HasData && tbs.PeekTag().TagValue == (int)System.Formats.Asn1.UniversalTagNumber.Sequence)
            {
                System.Formats.Asn1.AsnReader entries = tbs.ReadSequence();
                while (entries.HasData)
                {
                    System.Formats.Asn1.AsnReader entry = entries.ReadSequence();
                    Serials.Add(Convert.ToHexStringLower(entry.ReadIntegerBytes().Span));
                    entry.ReadUtcTime();
                }
            }
        }

        public List<string> Serials { get; } = [];
    }
}
