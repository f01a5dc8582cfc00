using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.AspNetCore;
using Vaultlib.Certificates;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.AspNetCore;

/// <summary>
/// <c>MapVaultlibOcsp</c> on a real Kestrel server on loopback, asked by <c>openssl ocsp</c> through the URL an issued
/// certificate's authority information access names: good, then revoked with its reason; a certificate the CA did not
/// issue is unknown; the response verifies against the CA and carries openssl's nonce. The real clock: openssl checks
/// the response's times against its own.
/// </summary>
public sealed class OcspEndpointTests
{
    [SkippableFact]
    public async Task Openssl_hears_good_then_revoked_from_the_responder_a_certificate_names()
    {
        RequiredPart.Require(File.Exists("/usr/bin/openssl"), "openssl", "apt-get install openssl");
        await using LoopbackCa server = await LoopbackCa.StartAsync(app => app.MapVaultlibOcsp());
        string host = server.Host;
        PrivateCertificateAuthority pca = server.Pca;
        (string ca, string rootPem) = await server.ActiveRootAsync(KeyAlgorithm.RSA_2048, SigningAlgorithm.SHA256WITHRSA, new RevocationConfiguration { OcspConfiguration = new OcspConfiguration { Enabled = true, OcspCustomCname = host + "/ocsp" } });
        using var key = ECDsa.Create();
        string leafArn = (await pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = ca, Csr = Encoding.ASCII.GetBytes(new CertificateRequest("CN=leaf", key, HashAlgorithmName.SHA256).CreateSigningRequestPem()), SigningAlgorithm = SigningAlgorithm.SHA256WITHRSA, Validity = new Validity { Type = ValidityPeriodType.DAYS, Value = 2 } })).CertificateArn;
        string leafPem = (await pca.GetCertificateAsync(new GetCertificateRequest { CertificateAuthorityArn = ca, CertificateArn = leafArn })).Certificate;

        using X509Certificate2 leaf = X509Certificate2.CreateFromPem(leafPem);
        string url = $"http://{host}/ocsp";
        Assert.Equal([url], leaf.Extensions.OfType<X509AuthorityInformationAccessExtension>().Single().EnumerateOcspUris());

        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("root.pem"), rootPem);
        File.WriteAllText(temp.Combine("leaf.pem"), leafPem);
        string good = OpenSsl($"ocsp -issuer root.pem -cert leaf.pem -url {url} -CAfile root.pem", temp.Path);
        Assert.Contains("Response verify OK", good, StringComparison.Ordinal);
        Assert.Contains("leaf.pem: good", good, StringComparison.Ordinal);

        await pca.RevokeCertificateAsync(new RevokeCertificateRequest { CertificateAuthorityArn = ca, CertificateSerial = leafArn[^32..], RevocationReason = RevocationReason.KEY_COMPROMISE });
        string revoked = OpenSsl($"ocsp -issuer root.pem -cert leaf.pem -url {url} -CAfile root.pem", temp.Path);
        Assert.Contains("leaf.pem: revoked", revoked, StringComparison.Ordinal);
        Assert.Contains("keyCompromise", revoked, StringComparison.Ordinal);

        // A serial the CA never issued, asked about by serial: unknown.
        string unknown = OpenSsl($"ocsp -issuer root.pem -serial 0x0102030405 -url {url} -CAfile root.pem", temp.Path);
        Assert.Contains("0x0102030405: unknown", unknown, StringComparison.Ordinal);

        // Garbage is answered with OCSP's malformedRequest status, not an HTTP error.
        using var http = new HttpClient();
        using HttpResponseMessage malformed = await http.PostAsync(new Uri(url), new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        Assert.Equal(new byte[] { 0x30, 0x03, 0x0A, 0x01, 0x01 }, await malformed.Content.ReadAsByteArrayAsync());
    }

    private static string OpenSsl(string arguments, string directory) => TestSupport.OpenSslTool.Run(arguments, directory);
}
