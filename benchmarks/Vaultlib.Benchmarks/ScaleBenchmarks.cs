using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Storage;

namespace Vaultlib.Benchmarks;

/// <summary>
/// Reads in a vault of 100,000 KMS keys and 100,000 parameters against the same reads in a vault of 100, on SQLite and
/// on PostgreSQL, in the same run (issue 16: at most 1.2×). Both read the same number of distinct records, 100 (all of
/// the small vault), in turn; in the large vault they are spread evenly over it, so it is not read through one warm
/// corner. What is compared is the vault's size, not the application's working set: reading 1,024 distinct keys costs
/// more than reading 100 in any vault (each has its own ready AES-GCM context), and a vault of 100 cannot have 1,024.
/// </summary>
[MemoryDiagnoser]
public class ScaleReadBenchmarks
{
    private Vault _vault = null!;
    private VaultKeyService _kms = null!;
    private VaultParameterStore _ssm = null!;
    private string[] _keys = null!;
    private string[] _names = null!;
    private string _path = null!;
    private string? _middleToken;
    private const int Hot = 100;
    private int _next;

    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    [Params(100, 100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _vault = ScaleVaults.Open(Store, Records);
        _kms = new VaultKeyService(_vault);
        _ssm = new VaultParameterStore(_vault);
        List<string> all = [];
        string? marker = null;
        do
        {
            ListKeysResponse page = _kms.ListKeysAsync(new ListKeysRequest { Limit = 1000, Marker = marker }).GetAwaiter().GetResult();
            all.AddRange(page.Keys.Select(k => k.KeyId));
            marker = page.NextMarker;
        }
        while (marker is not null);

        _keys = [.. Enumerable.Range(0, Hot).Select(i => all[(int)((long)i * all.Count / Hot)])];
        _names = [.. Enumerable.Range(0, Hot).Select(i => ScaleVaults.ParameterName(Records, (int)((long)i * Records / Hot)))];
        _path = ScaleVaults.ParameterName(Records, 0)[..ScaleVaults.ParameterName(Records, 0).LastIndexOf('/')];

        // A page from the middle of the path: the token of the page before it.
        string? token = null;
        for (int i = 0; i < 5; i++)
        {
            token = _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = _path, MaxResults = 10, NextToken = token }).GetAwaiter().GetResult().NextToken;
        }

        _middleToken = token;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ssm.Dispose();
        _kms.Dispose();
        _vault.Dispose();
    }

    [Benchmark(Description = "Encrypt 32 B")]
    public Task<EncryptResponse> Encrypt() =>
        _kms.EncryptAsync(new EncryptRequest { KeyId = _keys[_next = (_next + 1) % Hot], Plaintext = "thirty-two bytes of plaintext..."u8.ToArray() });

    [Benchmark(Description = "GetParameter")]
    public Task<GetParameterResponse> GetParameter() =>
        _ssm.GetParameterAsync(new GetParameterRequest { Name = _names[_next = (_next + 1) % Hot] });

    [Benchmark(Description = "GetParametersByPath, a page of 10 from the middle")]
    public Task<GetParametersByPathResponse> ByPathPage() =>
        _ssm.GetParametersByPathAsync(new GetParametersByPathRequest { Path = _path, MaxResults = 10, NextToken = _middleToken });
}

/// <summary>
/// Opening a vault of 100,000 keys and parameters (issue 16: at most 5 s), against one of 100: the vault, then
/// each service loading, checking and decoding every record of its own. Cold opens, so a few iterations.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ScaleOpenBenchmarks
{
    [Params("sqlite", "postgres")]
    public string Store { get; set; } = "sqlite";

    [Params(100, 100_000)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup() => ScaleVaults.Open(Store, Records).Dispose(); // made (once) before any timing

    [Benchmark(Description = "open the vault and its KMS keys")]
    public int OpenKeys()
    {
        using Vault vault = ScaleVaults.Open(Store, Records);
        using var kms = new VaultKeyService(vault);
        return kms.Table.KeyCount;
    }

    [Benchmark(Description = "open the vault and its parameters")]
    public int OpenParameters()
    {
        using Vault vault = ScaleVaults.Open(Store, Records);
        using var ssm = new VaultParameterStore(vault);
        return ssm.Table.Count;
    }
}

/// <summary>
/// What a record costs in memory once loaded (issue 16: at most 2 KB beyond its material): the managed heap after a
/// full collection with the 100,000-record vault's service open, less the same with the 100-record vault's, divided by
/// the 99,900 records between them. A retained-size measure, so it is not a BenchmarkDotNet benchmark (which counts
/// allocations): <c>--scale-memory</c> runs it, three times, and reports the median.
/// </summary>
public static class ScaleMemory
{
    public static void Run(string store)
    {
        foreach (string service in new[] { "kms", "ssm" })
        {
            var perRecord = new List<double>();
            for (int run = 0; run < 3; run++)
            {
                long small = Retained(store, 100, service), large = Retained(store, 100_000, service);
                perRecord.Add((large - small) / 99_900.0);
            }

            perRecord.Sort();
            Console.WriteLine($"{store} {service}: {perRecord[1]:F0} bytes per record retained (runs: {string.Join(", ", perRecord.Select(b => b.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))})");
        }
    }

    private static long Retained(string store, int records, string service)
    {
        using Vault vault = ScaleVaults.Open(store, records);
        long before = Heap();
        IDisposable opened = service == "kms" ? new VaultKeyService(vault) : new VaultParameterStore(vault);
        long after = Heap();
        GC.KeepAlive(opened);
        opened.Dispose();
        return after - before;
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
