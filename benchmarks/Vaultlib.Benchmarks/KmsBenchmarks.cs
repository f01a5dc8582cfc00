using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Vaultlib.Keys;

namespace Vaultlib.Benchmarks;

/// <summary>
/// The KMS symmetric path against its floor: one AES-256-GCM encryption of the same bytes through
/// <see cref="AesGcm"/> directly (a fresh instance per call, as KMS needs per key version).
/// The ratio is what validation, key resolution, context encoding and the blob format cost.
/// </summary>
[MemoryDiagnoser]
public class KmsBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[16];
    private readonly Dictionary<string, string> _context = new() { ["tenant"] = "acme", ["purpose"] = "benchmark" };
    private InMemoryKeyService _kms = null!;
    private string _keyId = null!;
    private byte[] _plaintext = null!;
    private byte[] _ciphertext = null!;
    private byte[] _blob = null!;

    [Params(32, 1024, 4096)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _kms = new InMemoryKeyService();
        _keyId = _kms.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.KeyId;
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _ciphertext = new byte[Size];
        _blob = _kms.EncryptAsync(new EncryptRequest { KeyId = _keyId, Plaintext = _plaintext, EncryptionContext = _context }).GetAwaiter().GetResult().CiphertextBlob.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _kms.Dispose();

    [Benchmark(Baseline = true, Description = "AesGcm encrypt (floor)")]
    public byte[] RawAesGcm()
    {
        RandomNumberGenerator.Fill(_nonce);
        using var gcm = new AesGcm(_key, 16);
        gcm.Encrypt(_nonce, _plaintext, _ciphertext, _tag);
        return _ciphertext;
    }

    [Benchmark(Description = "KMS Encrypt")]
    public ReadOnlyMemory<byte> Encrypt() =>
        _kms.EncryptAsync(new EncryptRequest { KeyId = _keyId, Plaintext = _plaintext, EncryptionContext = _context }).GetAwaiter().GetResult().CiphertextBlob;

    [Benchmark(Description = "KMS Decrypt")]
    public ReadOnlyMemory<byte> Decrypt() =>
        _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = _blob, EncryptionContext = _context }).GetAwaiter().GetResult().Plaintext;

    [Benchmark(Description = "KMS GenerateDataKey AES_256")]
    public ReadOnlyMemory<byte> GenerateDataKey() =>
        _kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = _keyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = _context }).GetAwaiter().GetResult().CiphertextBlob;
}
