using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Configuration;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Parameters;

namespace Vaultlib.Benchmarks;

/// <summary>
/// Parameter Store against its baselines, each group in the same run:
/// <list type="bullet">
/// <item>ByPath: over 10,000 parameters in 1,000 paths (<c>/aX/bY/cZ/pN</c>), a GetParametersByPath page of 10 costs
/// at most 3× one GetParameter, and reading a whole subtree (10, 100, 1,000 parameters) grows linearly.</item>
/// <item>SecureString: a GetParameter with decryption costs at most 1.3× a String GetParameter plus a KMS Decrypt.</item>
/// <item>Configuration: reading a key through the provider costs at most 1.1× the same read from <c>MemoryConfigurationProvider</c>.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class ParameterStoreBenchmarks
{
    private VaultlibHost _host = null!;
    private ParameterStore _ssm = null!;
    private KeyService _kmsViaSsm = null!;
    private byte[] _blob = null!;
    private Dictionary<string, string> _context = null!;
    private IConfigurationRoot _fromVaultlib = null!;
    private IConfigurationRoot _fromMemory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new VaultlibHost();
        _ssm = _host.Parameters;
        for (int a = 0; a < 10; a++)
        {
            for (int b = 0; b < 10; b++)
            {
                for (int c = 0; c < 10; c++)
                {
                    for (int n = 0; n < 10; n++)
                    {
                        _ssm.PutParameterAsync(new PutParameterRequest { Name = $"/a{a}/b{b}/c{c}/p{n}", Value = $"value-{a}{b}{c}{n}", Type = ParameterType.String }).GetAwaiter().GetResult();
                    }
                }
            }
        }

        // Advanced: the 10,000 String parameters above fill the Standard tier quota.
        _ssm.PutParameterAsync(new PutParameterRequest { Name = "/secure/password", Value = "value-0000", Type = ParameterType.SecureString, Tier = ParameterTier.Advanced }).GetAwaiter().GetResult();
        string arn = _ssm.GetParameterAsync(new GetParameterRequest { Name = "/secure/password" }).GetAwaiter().GetResult().Parameter.ARN;
        _blob = Convert.FromBase64String(_ssm.GetParameterAsync(new GetParameterRequest { Name = "/secure/password" }).GetAwaiter().GetResult().Parameter.Value!);
        _context = new Dictionary<string, string> { ["PARAMETER_ARN"] = arn };
        _kmsViaSsm = _host.Keys.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:root", ViaService = "ssm.us-east-1.amazonaws.com" });

        _fromVaultlib = new ConfigurationBuilder().AddVaultlibParameters(_ssm, "/a0/b0/").Build();
        _fromMemory = new ConfigurationBuilder().AddInMemoryCollection(_fromVaultlib.AsEnumerable().Where(p => p.Value is not null)).Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ((IDisposable)_fromVaultlib.Providers.Single()).Dispose();
        _host.Dispose();
    }

    [Benchmark(Baseline = true, Description = "GetParameter (String)")]
    [BenchmarkCategory("ByPath")]
    public Task<GetParameterResponse> GetParameter() =>
        _ssm.GetParameterAsync(new GetParameterRequest { Name = "/a5/b5/c5/p5" });

    [Benchmark(Description = "GetParametersByPath, a page of 10 (of 10,000)")]
    [BenchmarkCategory("ByPath")]
    public Task<GetParametersByPathResponse> ByPathPage() =>
        _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/a5/b5/c5" });

    [Benchmark(Description = "GetParametersByPath, Recursive, a page of 10 (of 10,000)")]
    [BenchmarkCategory("ByPath")]
    public Task<GetParametersByPathResponse> ByPathRecursivePage() =>
        _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/a5/b5", Recursive = true });

    [Benchmark(Description = "Whole subtree of 10")]
    [BenchmarkCategory("ByPath")]
    public Task<int> Subtree10() => ReadSubtree("/a5/b5/c5");

    [Benchmark(Description = "Whole subtree of 100")]
    [BenchmarkCategory("ByPath")]
    public Task<int> Subtree100() => ReadSubtree("/a5/b5");

    [Benchmark(Description = "Whole subtree of 1,000")]
    [BenchmarkCategory("ByPath")]
    public Task<int> Subtree1000() => ReadSubtree("/a5");

    [Benchmark(Baseline = true, Description = "String GetParameter + KMS Decrypt")]
    [BenchmarkCategory("SecureString")]
    public async Task<int> StringPlusDecrypt()
    {
        GetParameterResponse plain = await _ssm.GetParameterAsync(new GetParameterRequest { Name = "/a5/b5/c5/p5" });
        DecryptResponse decrypted = await _kmsViaSsm.DecryptAsync(new DecryptRequest { CiphertextBlob = _blob, EncryptionContext = _context });
        return plain.Parameter.Value!.Length + decrypted.Plaintext.Length;
    }

    [Benchmark(Description = "SecureString GetParameter, WithDecryption")]
    [BenchmarkCategory("SecureString")]
    public async Task<int> SecureString() =>
        (await _ssm.GetParameterAsync(new GetParameterRequest { Name = "/secure/password", WithDecryption = true })).Parameter.Value!.Length;

    [Benchmark(Baseline = true, Description = "MemoryConfigurationProvider read")]
    [BenchmarkCategory("Configuration")]
    public string? MemoryRead() => _fromMemory["c5:p5"];

    [Benchmark(Description = "Vaultlib configuration provider read")]
    [BenchmarkCategory("Configuration")]
    public string? VaultlibRead() => _fromVaultlib["c5:p5"];

    private async Task<int> ReadSubtree(string path)
    {
        int count = 0;
        string? token = null;
        do
        {
            GetParametersByPathResponse page = await _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = path, Recursive = true, NextToken = token });
            count += page.Parameters.Count;
            token = page.NextToken;
        }
        while (token is not null);
        return count;
    }
}
