// Throughput of `vaultlib serve` against a bare Kestrel endpoint, with a load generator (wrk), in the same run.
//
// Both servers run in this process on loopback: the tool's application (VaultlibServer.Build, in memory) and a bare
// Kestrel application that answers every POST with a fixed body of the same size as the real answer. For each
// operation, wrk drives each side with the same signed request (keep-alive), alternating which side goes first, and
// the medians of the rounds give the ratio. Usage:
//   dotnet run -c Release --project benchmarks/Vaultlib.EndpointLoad -- [--duration 10] [--rounds 3] [--connections 16]
// Needs wrk (Debian: apt-get install wrk). Prints a Markdown table for docs/benchmarks.md.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vaultlib;
using Vaultlib.AwsProtocol;
using Vaultlib.Tool;

const string AccessKey = "AKIALOADTEST00000001", Secret = "load-test-secret-000000000000000000000";
int duration = Option("duration", 10), rounds = Option("rounds", 3), connections = Option("connections", 16);

WebApplication vaultlib = VaultlibServer.Build(["--urls", "http://127.0.0.1:0", "--access-key-id", AccessKey, "--secret-access-key", Secret]);
await vaultlib.StartAsync();
Uri vaultlibUrl = Address(vaultlib);
VaultlibHost host = vaultlib.Services.GetRequiredService<VaultlibHost>();
string keyId = (await host.GetKeyService("us-east-1").CreateKeyAsync(new Vaultlib.Keys.CreateKeyRequest())).KeyMetadata.KeyId;
await host.GetParameterStore("us-east-1").PutParameterAsync(new Vaultlib.Parameters.PutParameterRequest { Name = "/load/setting", Value = new string('v', 64), Type = Vaultlib.Parameters.ParameterType.String });

(string Name, string Service, string Target, string Body, double Target_)[] operations =
[
    ("KMS Encrypt, 1 KiB", "kms", "TrentService.Encrypt", $$"""{"KeyId":"{{keyId}}","Plaintext":"{{Convert.ToBase64String(new byte[1024])}}"}""", 0.5),
    ("SSM GetParameter", "ssm", "AmazonSSM.GetParameter", """{"Name":"/load/setting"}""", 0.6),
];

// The bare endpoint answers each target with a fixed body as long as the real answer.
var fixedBodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
using (var http = new HttpClient())
{
    foreach ((_, string service, string target, string body, _) in operations)
    {
        using HttpResponseMessage real = await http.SendAsync(Request(vaultlibUrl, service, target, body));
        byte[] answer = await real.Content.ReadAsByteArrayAsync();
        if (!real.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{target}: {(int)real.StatusCode} {Encoding.UTF8.GetString(answer)}");
        }

        fixedBodies[target] = Encoding.ASCII.GetBytes("{\"x\":\"" + new string('x', answer.Length - 8) + "\"}");
    }
}

WebApplicationBuilder bareBuilder = WebApplication.CreateSlimBuilder();
bareBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
bareBuilder.WebHost.UseUrls("http://127.0.0.1:0");
WebApplication bare = bareBuilder.Build();
bare.MapPost("/", async (HttpContext context) =>
{
    byte[] answer = fixedBodies[context.Request.Headers["X-Amz-Target"].ToString()];
    context.Response.ContentType = "application/x-amz-json-1.1";
    await context.Response.Body.WriteAsync(answer);
});
await bare.StartAsync();
Uri bareUrl = Address(bare);

Console.WriteLine($"wrk -t2 -c{connections} -d{duration}s, {rounds} rounds per side, sides alternating; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
Console.WriteLine();
Console.WriteLine("| Operation | Bare Kestrel, fixed body (req/s, median) | vaultlib serve (req/s, median) | Ratio | Target |");
Console.WriteLine("|---|---:|---:|---:|---:|");
bool allMet = true;
foreach ((string name, string service, string target, string body, double goal) in operations)
{
    var bareRates = new List<double>();
    var vaultlibRates = new List<double>();
    _ = Wrk(bareUrl, service, target, body, warmUp: true); // JIT tiering and connection pools, uncounted
    _ = Wrk(vaultlibUrl, service, target, body, warmUp: true);
    for (int round = 0; round < rounds; round++)
    {
        // Alternate which side goes first, so drift in the machine's load falls on both.
        foreach (bool vaultlibSide in round % 2 == 0 ? new[] { false, true } : [true, false])
        {
            Uri url = vaultlibSide ? vaultlibUrl : bareUrl;
            double rate = Wrk(url, service, target, body);
            (vaultlibSide ? vaultlibRates : bareRates).Add(rate);
            Console.Error.WriteLine($"{name}: round {round + 1}, {(vaultlibSide ? "vaultlib" : "bare")}: {rate:F0} req/s");
        }
    }

    double bareMedian = Median(bareRates), vaultlibMedian = Median(vaultlibRates), ratio = vaultlibMedian / bareMedian;
    allMet &= ratio >= goal;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {bareMedian:F0} ({string.Join(", ", bareRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}) | {vaultlibMedian:F0} ({string.Join(", ", vaultlibRates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))}) | {ratio:F2} | ≥ {goal:F2} |"));
}

await vaultlib.StopAsync();
await bare.StopAsync();
return allMet ? 0 : 1;

// One wrk run of the signed request (signed afresh: a signature is good for five minutes) against url; requests per second.
double Wrk(Uri url, string service, string target, string body, bool warmUp = false)
{
    string script = Path.GetTempFileName();
    var lua = new StringBuilder("wrk.method = \"POST\"\n");
    lua.Append("wrk.body = [==[").Append(body).Append("]==]\n");
    foreach ((string header, string value) in SigV4.SignedJsonHeaders(AccessKey, Secret, "us-east-1", service, url.Authority, target, Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow).Where(h => h.Name != "host"))
    {
        // wrk sends Host (the URL's authority, as signed) itself.
        lua.Append("wrk.headers[\"").Append(header).Append("\"] = [==[").Append(value).Append("]==]\n");
    }

    File.WriteAllText(script, lua.ToString());
    var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (string argument in new[] { "-t2", $"-c{connections}", $"-d{(warmUp ? 3 : duration)}s", "-s", script, url.ToString() })
    {
        start.ArgumentList.Add(argument);
    }

    using Process process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start (Debian: apt-get install wrk).");
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    File.Delete(script);
    if (output.Contains("Non-2xx", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"{target} at {url}: some answers were not 200:\n{output}");
    }

    Match rate = Regex.Match(output, @"Requests/sec:\s+([0-9.]+)");
    return rate.Success ? double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException(output);
}

HttpRequestMessage Request(Uri url, string service, string target, string body) =>
    SigV4.SignedJsonRequest(url, AccessKey, Secret, "us-east-1", service, target, Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow);

static Uri Address(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

static double Median(List<double> values)
{
    double[] sorted = [.. values.Order()];
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, "--" + name) is int i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
