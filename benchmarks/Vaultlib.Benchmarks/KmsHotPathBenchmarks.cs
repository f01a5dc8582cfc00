using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Vaultlib.Audit;
using Vaultlib.Keys;

namespace Vaultlib.Benchmarks;

/// <summary>
/// KMS Encrypt and Decrypt of 1 KiB against their floor, in the same run: one AES-256-GCM
/// encryption of the same bytes with a reused <see cref="AesGcm"/> instance (a fresh nonce each time).
/// As the account root with no audit sink (target ≤ 2×), and with the in-memory audit sink (≤ 3×).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class KmsHotPathBenchmarks
{
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1024);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _output = new byte[1024];
    private AesGcm _gcm = null!;
    private InMemoryKeyService _plain = null!;
    private InMemoryKeyService _audited = null!;
    private InMemoryAuditSink _sink = null!;
    private string _plainKey = null!;
    private string _auditedKey = null!;
    private ReadOnlyMemory<byte> _plainBlob;
    private ReadOnlyMemory<byte> _auditedBlob;
    private int _calls;

    [GlobalSetup]
    public void Setup()
    {
        _gcm = new AesGcm(_key, 16);
        _plain = new InMemoryKeyService();
        _sink = new InMemoryAuditSink();
        _audited = new InMemoryKeyService(auditSink: _sink);
        _plainKey = _plain.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId;
        _auditedKey = _audited.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId;
        _plainBlob = _plain.EncryptAsync(new EncryptRequest { KeyId = _plainKey, Plaintext = _plaintext }).GetAwaiter().GetResult().CiphertextBlob;
        _auditedBlob = _audited.EncryptAsync(new EncryptRequest { KeyId = _auditedKey, Plaintext = _plaintext }).GetAwaiter().GetResult().CiphertextBlob;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _gcm.Dispose();
        _plain.Dispose();
        _audited.Dispose();
    }

    [Benchmark(Baseline = true, Description = "AesGcm encrypt 1 KiB, reused instance (floor)")]
    public byte[] Floor()
    {
        RandomNumberGenerator.Fill(_nonce);
        _gcm.Encrypt(_nonce, _plaintext, _output, _tag);
        return _output;
    }

    [Benchmark(Description = "KMS Encrypt 1 KiB, root, no audit")]
    public ReadOnlyMemory<byte> Encrypt() =>
        _plain.EncryptAsync(new EncryptRequest { KeyId = _plainKey, Plaintext = _plaintext }).GetAwaiter().GetResult().CiphertextBlob;

    [Benchmark(Description = "KMS Decrypt 1 KiB, root, no audit")]
    public ReadOnlyMemory<byte> Decrypt() =>
        _plain.DecryptAsync(new DecryptRequest { CiphertextBlob = _plainBlob }).GetAwaiter().GetResult().Plaintext;

    [Benchmark(Description = "KMS Encrypt 1 KiB, root, in-memory audit")]
    public ReadOnlyMemory<byte> EncryptAudited()
    {
        TrimAudit();
        return _audited.EncryptAsync(new EncryptRequest { KeyId = _auditedKey, Plaintext = _plaintext }).GetAwaiter().GetResult().CiphertextBlob;
    }

    [Benchmark(Description = "KMS Decrypt 1 KiB, root, in-memory audit")]
    public ReadOnlyMemory<byte> DecryptAudited()
    {
        TrimAudit();
        return _audited.DecryptAsync(new DecryptRequest { CiphertextBlob = _auditedBlob }).GetAwaiter().GetResult().Plaintext;
    }

    /// <summary>Keeps the in-memory trail bounded over millions of calls (amortized: one clear per 4,096 calls).</summary>
    private void TrimAudit()
    {
        if (++_calls % 4096 == 0)
        {
            _sink.Clear();
        }
    }
}
