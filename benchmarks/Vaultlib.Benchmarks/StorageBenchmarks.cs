using System.Diagnostics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Vaultlib.Keys;
using Vaultlib.PostgreSql;
using Vaultlib.Storage;

namespace Vaultlib.Benchmarks;

/// <summary>
/// KMS writes on the embedded SQLite vault against the in-memory vault, in the same run, with one
/// and eight concurrent writers. Each invocation makes 64 UpdateKeyDescription calls spread over the
/// writers. The ratio (SQLite ÷ in memory) is the inverse of the throughput ratio: at most 4 means
/// SQLite reaches at least 25 % of the in-memory store's throughput.
/// </summary>
[MemoryDiagnoser]
public class StorageWriteBenchmarks
{
    private const int Writes = 64;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vaultlib-bench-{Guid.NewGuid():N}.db");
    private InMemoryKeyService _memory = null!;
    private Vault _vault = null!;
    private Vault _fullVault = null!;
    private VaultKeyService _sqlite = null!;
    private VaultKeyService _sqliteFull = null!;
    private string[] _memoryKeys = null!;
    private string[] _sqliteKeys = null!;
    private string[] _sqliteFullKeys = null!;
    private int _round;

    [Params(1, 8)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        _memory = new InMemoryKeyService();
        _vault = Vault.OpenSqlite(_path, rootKey);
        _fullVault = Vault.OpenSqlite(_path + ".full", rootKey, durability: SqliteDurability.PowerLoss);
        _sqlite = new VaultKeyService(_vault);
        _sqliteFull = new VaultKeyService(_fullVault);
        _memoryKeys = Keys(_memory);
        _sqliteKeys = Keys(_sqlite);
        _sqliteFullKeys = Keys(_sqliteFull);
    }

    private string[] Keys(KeyService kms) =>
        [.. Enumerable.Range(0, Writers).Select(_ => kms.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId)];

    [GlobalCleanup]
    public void Cleanup()
    {
        _memory.Dispose();
        _sqlite.Dispose();
        _sqliteFull.Dispose();
        _vault.Dispose();
        _fullVault.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*"))
        {
            File.Delete(file);
        }
    }

    [Benchmark(Baseline = true, Description = "in-memory vault")]
    public Task InMemory() => Run(_memory, _memoryKeys);

    [Benchmark(Description = "SQLite vault (ProcessCrash, the default)")]
    public Task Sqlite() => Run(_sqlite, _sqliteKeys);

    [Benchmark(Description = "SQLite vault (PowerLoss: a flush per commit)")]
    public Task SqlitePowerLoss() => Run(_sqliteFull, _sqliteFullKeys);

    private Task Run(KeyService kms, string[] keys)
    {
        int round = Interlocked.Increment(ref _round);
        return Task.WhenAll(keys.Select(key => Task.Run(async () =>
        {
            for (int i = 0; i < Writes / keys.Length; i++)
            {
                await kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key, Description = $"r{round}-{i}" });
            }
        })));
    }
}

/// <summary>
/// KMS reads (Encrypt, Decrypt, DescribeKey of 1 KiB) on the durable vaults against the in-memory
/// vault, in the same run: served from each service's in-memory view, they should cost the same.
/// The PostgreSQL rows run when VAULTLIB_TEST_POSTGRES names a server.
/// </summary>
[MemoryDiagnoser]
public class StorageReadBenchmarks
{
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1024);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"vaultlib-bench-{Guid.NewGuid():N}.db");
    private readonly Dictionary<string, (KeyService Kms, string KeyId, byte[] Blob)> _services = [];
    private readonly List<Vault> _vaults = [];

    [Params("memory", "sqlite", "postgresql")]
    public string Store { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        KeyService kms = Store switch
        {
            "memory" => new InMemoryKeyService(),
            "sqlite" => new VaultKeyService(Keep(Vault.OpenSqlite(_path, rootKey))),
            _ => new VaultKeyService(Keep(Vault.Open(
                PostgreSqlVaultStore.OpenAsync(Environment.GetEnvironmentVariable("VAULTLIB_TEST_POSTGRES") ?? throw new InvalidOperationException("Set VAULTLIB_TEST_POSTGRES to measure PostgreSQL."), new PostgreSqlVaultStoreOptions { Schema = "bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) }).GetAwaiter().GetResult(),
                rootKey,
                ownsStore: true))),
        };
        string keyId = kms.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId;
        byte[] blob = kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = _plaintext }).GetAwaiter().GetResult().CiphertextBlob.ToArray();
        _services[Store] = (kms, keyId, blob);
    }

    private Vault Keep(Vault vault)
    {
        _vaults.Add(vault);
        return vault;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach ((KeyService kms, _, _) in _services.Values)
        {
            kms.Dispose();
        }

        foreach (Vault vault in _vaults)
        {
            vault.Dispose();
        }
    }

    [Benchmark(Description = "Encrypt 1 KiB")]
    public Task<EncryptResponse> Encrypt()
    {
        (KeyService kms, string keyId, _) = _services[Store];
        return kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = _plaintext });
    }

    [Benchmark(Description = "Decrypt 1 KiB")]
    public Task<DecryptResponse> Decrypt()
    {
        (KeyService kms, _, byte[] blob) = _services[Store];
        return kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
    }

    [Benchmark(Description = "DescribeKey")]
    public Task<DescribeKeyResponse> DescribeKey()
    {
        (KeyService kms, string keyId, _) = _services[Store];
        return kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId });
    }
}

/// <summary>
/// The delay for a change to reach another instance sharing a vault: one handle commits, another
/// (with its own connections, as another process has) waits on the change feed until it sees it.
/// A latency distribution rather than a throughput, so it is measured directly: <c>--change-delay</c>.
/// </summary>
public static class ChangeDelay
{
    public static async Task RunAsync(int samples)
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaultlib-delay-{Guid.NewGuid():N}.db");
        await using (SqliteVaultStore writer = SqliteVaultStore.Open(path), reader = SqliteVaultStore.Open(path))
        {
            Report("SQLite (two handles, poll 50 ms)", await Measure(writer, reader, samples));
        }

        string? postgres = Environment.GetEnvironmentVariable("VAULTLIB_TEST_POSTGRES");
        if (postgres is not null)
        {
            var options = new PostgreSqlVaultStoreOptions { Schema = "delay_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) };
            await using PostgreSqlVaultStore writer = await PostgreSqlVaultStore.OpenAsync(postgres, options);
            await using PostgreSqlVaultStore reader = await PostgreSqlVaultStore.OpenAsync(postgres, options);
            await Task.Delay(500);
            Report("PostgreSQL (two stores, LISTEN/NOTIFY)", await Measure(writer, reader, samples));
        }
    }

    private static async Task<List<double>> Measure(IVaultStore writer, IVaultStore reader, int samples)
    {
        var delays = new List<double>();
        long position = (await reader.ReadAllAsync("delay")).Position;
        for (int i = 0; i < samples; i++)
        {
            Task seen = reader.WaitForChangesAsync("delay", position);
            var clock = Stopwatch.StartNew();
            CommitResult result = await writer.CommitAsync([RecordWrite.Put(new RecordKey("delay", "things", $"r{i}"), 0, new byte[] { 1 })]);
            await seen;
            delays.Add(clock.Elapsed.TotalMilliseconds);
            position = result.Position;
        }

        return delays;
    }

    private static void Report(string name, List<double> delays)
    {
        delays.Sort();
        double Percentile(double p) => delays[(int)Math.Min(delays.Count - 1, Math.Ceiling(p * delays.Count) - 1)];
        Console.WriteLine($"{name}: n={delays.Count} median={Percentile(0.50):F2} ms p99={Percentile(0.99):F2} ms max={delays[^1]:F2} ms");
    }
}
