// Vaultlib certificates sample: a private PKI and ACM, end to end, on one machine.
// A root and a subordinate CA (ACM Private CA) are made; ACM issues a private certificate from the subordinate
// and a public-like one after DNS validation against a real DNS server on loopback; Kestrel serves HTTPS with
// both, picking certificates per host name; a fake clock moves 335 days and the scheduler renews the one in
// use, which the next TLS handshake sees with no restart; the old certificate is revoked, and the CRL and the
// OCSP responder, served by the same application, say so.
using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Vaultlib.AspNetCore;
using Vaultlib.Certificates;
using Vaultlib.Certificates.Acm;
using Acm = Vaultlib.Certificates.Acm;
using CertificateStatus = Vaultlib.Certificates.Acm.CertificateStatus;
using BcX509 = Org.BouncyCastle.X509;

var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
using var dns = new LoopbackDns();
int httpPort = FreePort(), httpsPort = FreePort();

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton<TimeProvider>(clock);
builder.Services.AddSingleton<IDnsValidationResolver>(new DnsClientValidationResolver(dns.EndPoint));
builder.Services.AddVaultlib();
builder.WebHost.UseKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Loopback, httpPort); // CRL and OCSP, as AWS serves them over plain HTTP
    kestrel.Listen(IPAddress.Loopback, httpsPort, listen => listen.UseVaultlibHttps(defaultHostName: "app.internal.example"));
});
await using WebApplication app = builder.Build();
app.MapVaultlibCrl();
app.MapVaultlibOcsp();
app.MapGet("/", (HttpContext http) => $"hello from {http.Request.Host.Host}");
await app.StartAsync();

PrivateCertificateAuthority pca = app.Services.GetRequiredService<PrivateCertificateAuthority>();
CertificateManager acm = app.Services.GetRequiredService<CertificateManager>();
string endpoint = $"127.0.0.1:{httpPort}";

// 1. A root CA and a subordinate CA it signs; the subordinate publishes a CRL and answers OCSP at this application.
string root = await CreateCaAsync(CertificateAuthorityType.ROOT, "Sample Root CA", null);
string rootPem = await IssueCaCertificateAsync(root, root, "RootCACertificate", 10);
await pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = root, Certificate = Encoding.ASCII.GetBytes(rootPem) });
string issuing = await CreateCaAsync(CertificateAuthorityType.SUBORDINATE, "Sample Issuing CA", new RevocationConfiguration
{
    CrlConfiguration = new CrlConfiguration { Enabled = true, CustomCname = endpoint },
    OcspConfiguration = new OcspConfiguration { Enabled = true, OcspCustomCname = endpoint + "/ocsp" },
});
string issuingPem = await IssueCaCertificateAsync(root, issuing, "SubordinateCACertificate_PathLen0", 5);
await pca.ImportCertificateAuthorityCertificateAsync(new ImportCertificateAuthorityCertificateRequest { CertificateAuthorityArn = issuing, Certificate = Encoding.ASCII.GetBytes(issuingPem), CertificateChain = Encoding.ASCII.GetBytes(rootPem) });
using X509Certificate2 rootCertificate = X509Certificate2.CreateFromPem(rootPem);
Console.WriteLine($"root CA:        {root}");
Console.WriteLine($"issuing CA:     {issuing} (ACTIVE, signed by the root)");

// 2. A private certificate from ACM, issued at once by the subordinate; in use by this server, so ACM renews it.
string privateArn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "app.internal.example", CertificateAuthorityArn = issuing, KeyAlgorithm = Acm.KeyAlgorithm.EC_prime256v1 })).CertificateArn;
await acm.AddInUseByAsync(privateArn, $"kestrel:127.0.0.1:{httpsPort}");
CertificateDetail privateCert = await DescribeAsync(privateArn);
Console.WriteLine($"private cert:   {privateCert.Status}, {privateCert.Type}, issued by {privateCert.Issuer}, until {privateCert.NotAfter:yyyy-MM-dd}, renewal {privateCert.RenewalEligibility}");

// 3. A DNS-validated certificate: ACM asks for a CNAME record; it is issued once the record is in the zone.
string publicArn = (await acm.RequestCertificateAsync(new RequestCertificateRequest { DomainName = "www.example.com", ValidationMethod = ValidationMethod.DNS })).CertificateArn;
ResourceRecord record = (await DescribeAsync(publicArn)).DomainValidationOptions![0].ResourceRecord!;
Console.WriteLine($"DNS validation: add {record.Name} CNAME {record.Value}");
await Until(async () => (await DescribeAsync(publicArn)).Status == CertificateStatus.PENDING_VALIDATION, "the certificate to wait for its record");
dns.AddCname(record.Name, record.Value);
clock.Advance(TimeSpan.FromMinutes(5)); // ACM looks again every few minutes; the scheduler does it on the fake clock
await Until(async () => (await DescribeAsync(publicArn)).Status == CertificateStatus.ISSUED, "DNS validation");
using X509Certificate2 localRoot = await acm.GetLocalRootCertificateAsync();
Console.WriteLine($"public cert:    {(await DescribeAsync(publicArn)).Status} after the scheduler found the record; issued by {localRoot.Subject}");

// 4. HTTPS from Kestrel, the certificate picked per host name, the chain sent with it.
X509Certificate2 servedPrivate = await HandshakeAsync("app.internal.example", rootCertificate);
X509Certificate2 servedPublic = await HandshakeAsync("www.example.com", localRoot);
Console.WriteLine($"TLS app.internal.example: serial {servedPrivate.SerialNumber}, chain verified up to the sample root");
Console.WriteLine($"TLS www.example.com:      serial {servedPublic.SerialNumber}, chain verified up to the local public-like root");

// 5. 335 days pass: 60 days before expiry the scheduler renews the private certificate in use.
clock.Advance(privateCert.NotAfter!.Value - TimeSpan.FromDays(60) - clock.GetUtcNow());
await Until(async () => (await DescribeAsync(privateArn)).RenewalSummary?.RenewalStatus == RenewalStatus.SUCCESS, "managed renewal");
X509Certificate2 renewed = await HandshakeAsync("app.internal.example", rootCertificate);
Console.WriteLine($"after renewal:  the next handshake gets serial {renewed.SerialNumber} (was {servedPrivate.SerialNumber}), until {renewed.NotAfter.ToUniversalTime():yyyy-MM-dd}; no restart");
if (renewed.SerialNumber == servedPrivate.SerialNumber)
{
    throw new InvalidOperationException("The server did not pick up the renewed certificate.");
}

// 6. The old certificate is revoked at its CA; the CRL and the OCSP responder, over HTTP, say so.
await pca.RevokeCertificateAsync(new Vaultlib.Certificates.RevokeCertificateRequest { CertificateAuthorityArn = issuing, CertificateSerial = servedPrivate.SerialNumber.ToLowerInvariant(), RevocationReason = Vaultlib.Certificates.RevocationReason.SUPERSEDED });
using var http = new HttpClient();
string crlUrl = $"http://{endpoint}/crl/{issuing[^36..]}.crl"; // AWS's path, as the certificate's CRL distribution point names it
if (!Encoding.ASCII.GetString(servedPrivate.Extensions["2.5.29.31"]!.RawData).Contains(crlUrl, StringComparison.Ordinal))
{
    throw new InvalidOperationException("The certificate does not name the CRL.");
}

byte[] crl = await http.GetByteArrayAsync(new Uri(crlUrl));
CertificateRevocationListBuilder revoked = CertificateRevocationListBuilder.Load(crl, out _);
bool listed = revoked.RemoveEntry(servedPrivate.SerialNumberBytes.Span);
Console.WriteLine($"CRL {crlUrl}: {crl.Length} bytes, lists the old serial: {listed}");

string ocspUrl = servedPrivate.Extensions.OfType<X509AuthorityInformationAccessExtension>().Single().EnumerateOcspUris().Single();
using X509Certificate2 issuingCertificate = X509Certificate2.CreateFromPem(issuingPem);
string oldStatus = await OcspStatusAsync(ocspUrl, servedPrivate, issuingCertificate), newStatus = await OcspStatusAsync(ocspUrl, renewed, issuingCertificate);
Console.WriteLine($"OCSP {ocspUrl}: old certificate {oldStatus}, renewed one {newStatus}");
if (!listed || !oldStatus.StartsWith("revoked", StringComparison.Ordinal) || newStatus != "good")
{
    throw new InvalidOperationException("The CRL or the OCSP responder does not show the revocation.");
}

await app.StopAsync();
Console.WriteLine("done");

async Task<string> CreateCaAsync(CertificateAuthorityType type, string name, RevocationConfiguration? revocation) =>
    (await pca.CreateCertificateAuthorityAsync(new CreateCertificateAuthorityRequest
    {
        CertificateAuthorityConfiguration = new CertificateAuthorityConfiguration { KeyAlgorithm = Vaultlib.Certificates.KeyAlgorithm.EC_prime256v1, SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, Subject = new ASN1Subject { Organization = "Vaultlib sample", CommonName = name } },
        CertificateAuthorityType = type,
        RevocationConfiguration = revocation,
    })).CertificateAuthorityArn;

async Task<string> IssueCaCertificateAsync(string issuer, string subject, string template, int years)
{
    string csr = (await pca.GetCertificateAuthorityCsrAsync(new GetCertificateAuthorityCsrRequest { CertificateAuthorityArn = subject })).Csr;
    string arn = (await pca.IssueCertificateAsync(new IssueCertificateRequest { CertificateAuthorityArn = issuer, Csr = Encoding.ASCII.GetBytes(csr), SigningAlgorithm = SigningAlgorithm.SHA256WITHECDSA, TemplateArn = $"arn:aws:acm-pca:::template/{template}/V1", Validity = new Vaultlib.Certificates.Validity { Type = ValidityPeriodType.YEARS, Value = years } })).CertificateArn;
    return (await pca.GetCertificateAsync(new Vaultlib.Certificates.GetCertificateRequest { CertificateAuthorityArn = issuer, CertificateArn = arn })).Certificate;
}

async Task<CertificateDetail> DescribeAsync(string arn) => (await acm.DescribeCertificateAsync(new DescribeCertificateRequest { CertificateArn = arn })).Certificate;

// A TLS handshake as a client that trusts only `trusted`, verifying the chain the server sent at the fake clock's time.
async Task<X509Certificate2> HandshakeAsync(string host, X509Certificate2 trusted)
{
    using var tcp = new TcpClient();
    await tcp.ConnectAsync(IPAddress.Loopback, httpsPort);
    X509Certificate2? seen = null;
    await using var tls = new SslStream(tcp.GetStream());
    await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = (_, certificate, sent, _) =>
        {
            seen = new X509Certificate2((X509Certificate2)certificate!);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(trusted);
            chain.ChainPolicy.ExtraStore.AddRange(sent!.ChainElements.Skip(1).Select(e => e.Certificate).ToArray());
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
            return chain.Build(seen);
        },
    });
    return seen!;
}

// An OCSP request (BouncyCastle), posted to the responder; its answer's status for the certificate.
async Task<string> OcspStatusAsync(string url, X509Certificate2 certificate, X509Certificate2 issuer)
{
    var id = new CertificateID(new AlgorithmIdentifier(OiwObjectIdentifiers.IdSha1, DerNull.Instance), new BcX509.X509Certificate(issuer.RawData), new Org.BouncyCastle.Math.BigInteger(1, certificate.SerialNumberBytes.ToArray()));
    var generator = new OcspReqGenerator();
    generator.AddRequest(id);
    using var content = new ByteArrayContent(generator.Generate().GetEncoded());
    content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
    using HttpResponseMessage response = await http.PostAsync(new Uri(url), content);
    var answer = (BasicOcspResp)new OcspResp(await response.Content.ReadAsByteArrayAsync()).GetResponseObject();
    object? status = answer.Responses.Single().GetCertStatus();
    return status switch
    {
        null => "good",
        RevokedStatus r => $"revoked (reason {r.RevocationReason}: {(r.RevocationReason == CrlReason.Superseded ? "superseded" : "other")})",
        _ => "unknown",
    };
}

static int FreePort()
{
    using var probe = new TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    return ((IPEndPoint)probe.LocalEndpoint).Port;
}

static async Task Until(Func<Task<bool>> condition, string what)
{
    for (int i = 0; i < 300; i++)
    {
        if (await condition())
        {
            return;
        }

        await Task.Delay(50);
    }

    throw new TimeoutException($"Waited in vain for {what}.");
}

/// <summary>A real DNS server on a loopback UDP port (ARSoft.Tools.Net) serving the CNAME records added to it, as a zone would.</summary>
internal sealed class LoopbackDns : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _cnames = new(StringComparer.OrdinalIgnoreCase);
    private readonly DnsServer _server;

    public LoopbackDns()
    {
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            EndPoint = (IPEndPoint)probe.Client.LocalEndPoint!;
        }

        _server = new DnsServer(new UdpServerTransport(EndPoint));
        _server.QueryReceived += (_, e) =>
        {
            if (e.Query is DnsMessage query)
            {
                DnsMessage response = query.CreateResponseInstance();
                DnsQuestion question = query.Questions[0];
                if (question.RecordType == ARSoft.Tools.Net.Dns.RecordType.CName && _cnames.TryGetValue(question.Name.ToString().TrimEnd('.'), out string? target))
                {
                    response.AnswerRecords.Add(new CNameRecord(question.Name, 60, DomainName.Parse(target.TrimEnd('.'))));
                }
                else
                {
                    response.ReturnCode = ReturnCode.NxDomain;
                }

                e.Response = response;
            }

            return Task.CompletedTask;
        };
        _server.Start();
    }

    public IPEndPoint EndPoint { get; }

    public void AddCname(string name, string target) => _cnames[name.TrimEnd('.')] = target;

    public void Dispose() => _server.Stop();
}
