using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Memory;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Secrets;

namespace Vaultlib.Benchmarks;

/// <summary>
/// Secrets Manager against its baselines, each group in the same run:
/// <list type="bullet">
/// <item>Cache: a read through <see cref="SecretsManagerCache"/> that hits costs at most 2× a <c>MemoryCache</c> hit.</item>
/// <item>GetSecretValue: a GetSecretValue of a 1 KiB secret costs at most 1.3× a KMS Decrypt of a 1 KiB ciphertext.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class SecretsBenchmarks
{
    private VaultlibHost _host = null!;
    private SecretStore _secrets = null!;
    private SecretsManagerCache _cache = null!;
    private MemoryCache _memory = null!;
    private KeyService _kmsViaSecretsManager = null!;
    private byte[] _blob = null!;
    private Dictionary<string, string> _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        _host = new VaultlibHost();
        _secrets = _host.Secrets;
        string value = new('s', 1024);
        _secrets.CreateSecretAsync(new CreateSecretRequest { Name = "bench/db", SecretString = value }).GetAwaiter().GetResult();
        _cache = new SecretsManagerCache(_secrets);
        _cache.GetSecretStringAsync("bench/db").AsTask().GetAwaiter().GetResult();
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = 1024 });
        _memory.Set("bench/db", value, new MemoryCacheEntryOptions { Size = 1 });

        // The same key, context shape and caller path as GetSecretValue's own Decrypt, over a 1 KiB plaintext.
        string keyArn = _host.Keys.GetOrCreateAwsManagedKeyAsync("secretsmanager").AsTask().GetAwaiter().GetResult();
        _context = new Dictionary<string, string> { ["SecretARN"] = "arn:aws:secretsmanager:us-east-1:111122223333:secret:bench/db-abcdef", ["SecretVersionId"] = Guid.NewGuid().ToString() };
        _kmsViaSecretsManager = _host.Keys.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:root", ViaService = "secretsmanager.us-east-1.amazonaws.com" });
        _blob = _kmsViaSecretsManager.EncryptAsync(new EncryptRequest { KeyId = keyArn, Plaintext = System.Text.Encoding.UTF8.GetBytes(value), EncryptionContext = _context }).GetAwaiter().GetResult().CiphertextBlob.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cache.Dispose();
        _memory.Dispose();
        _host.Dispose();
    }

    [Benchmark(Baseline = true, Description = "MemoryCache hit")]
    [BenchmarkCategory("Cache")]
    public string? MemoryCacheHit() => _memory.TryGetValue("bench/db", out string? value) ? value : null;

    [Benchmark(Description = "SecretsManagerCache hit")]
    [BenchmarkCategory("Cache")]
    public ValueTask<string?> CachedRead() => _cache.GetSecretStringAsync("bench/db");

    [Benchmark(Baseline = true, Description = "KMS Decrypt, 1 KiB")]
    [BenchmarkCategory("GetSecretValue")]
    public Task<DecryptResponse> KmsDecrypt() =>
        _kmsViaSecretsManager.DecryptAsync(new DecryptRequest { CiphertextBlob = _blob, EncryptionContext = _context });

    [Benchmark(Description = "GetSecretValue, 1 KiB")]
    [BenchmarkCategory("GetSecretValue")]
    public Task<GetSecretValueResponse> GetSecretValue() =>
        _secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "bench/db" });
}
