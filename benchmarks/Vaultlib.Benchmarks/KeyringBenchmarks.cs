using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Benchmarks;

/// <summary>
/// Each keyring's cache-hit path, 1 KiB messages, suite 0x0478. Behind a caching materials manager (how KMS keyrings
/// are used at volume) a hit never reaches the keyring, so every keyring's row should sit at the raw AES keyring's
/// (ratio ≈ 1.0); the hierarchical keyring has its own branch key cache and is called per message, so its rows are
/// measured against the raw AES keyring called per message (no materials cache on either side).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class KeyringCacheHitBenchmarks
{
    private static readonly Dictionary<string, string> s_context = new() { ["tenant"] = "acme", ["purpose"] = "benchmark" };
    private readonly EnvelopeEncryptor _encryptor = new();
    private readonly byte[] _plaintext = RandomNumberGenerator.GetBytes(1024);
    private readonly Dictionary<string, EncryptInput> _encrypt = [];
    private readonly Dictionary<string, DecryptInput> _decrypt = [];
    private VaultlibHost _host = null!;
    private InMemoryVaultStore _records = null!;
    private readonly List<IDisposable> _owned = [];

    [GlobalSetup]
    public void SetUp()
    {
        _host = new VaultlibHost();
        var client = new KeyServiceKeyringClient(_host.Keys);
        KeyService kms = _host.Keys;
        string symmetric = kms.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true }).GetAwaiter().GetResult().KeyMetadata.Arn;
        string rsa = kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048 }).GetAwaiter().GetResult().KeyMetadata.Arn;
        string rsaPem = PemEncoding.WriteString("PUBLIC KEY", kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = rsa }).GetAwaiter().GetResult().PublicKey.Span);
        string ecdh = kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.KEY_AGREEMENT }).GetAwaiter().GetResult().KeyMetadata.Arn;
        using var recipient = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var sender = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var rawEcdh = RawEcdhKeyring.RawPrivateKeyToStaticPublicKey(EcdhCurveSpec.ECC_NIST_P256, sender.ExportPkcs8PrivateKeyPem(), recipient.ExportSubjectPublicKeyInfo());
        _owned.Add(rawEcdh);
        var aes = new RawAesKeyring("bench", "aes-256", RandomNumberGenerator.GetBytes(32));
        _records = new InMemoryVaultStore();
        var keyStore = new VaultBranchKeyStore(_records, client, symmetric, "bench");
        string branchKeyId = keyStore.CreateKeyAsync().GetAwaiter().GetResult();

        Cached("raw AES", aes, aes);
        Cached("AWS KMS", new AwsKmsKeyring(symmetric, client), new AwsKmsDiscoveryKeyring(client, new DiscoveryFilter { Partition = "aws", AccountIds = ["111122223333"] }));
        Cached("AWS KMS MRK", new AwsKmsMrkKeyring(symmetric, client), new AwsKmsMrkDiscoveryKeyring(client, "us-east-1"));
        Cached("AWS KMS RSA", new AwsKmsRsaKeyring(rsa, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, rsaPem, client), null);
        Cached("raw ECDH", rawEcdh, null);
        Cached("AWS KMS ECDH", AwsKmsEcdhKeyring.KmsPrivateKeyToStaticPublicKeyAsync(client, EcdhCurveSpec.ECC_NIST_P256, ecdh, recipient.ExportSubjectPublicKeyInfo()).GetAwaiter().GetResult(), null);
        Direct("raw AES, per message", aes);
        Direct("hierarchical, branch key cached", new AwsKmsHierarchicalKeyring(keyStore, branchKeyId, null, TimeSpan.FromHours(1)));
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        _owned.ForEach(d => d.Dispose());
        _host.Dispose();
        _records.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [BenchmarkCategory("Encrypt 1 KiB, caching CMM hit"), Benchmark(Baseline = true, Description = "raw AES")]
    public int EncryptRawAes() => Encrypt("raw AES");

    [BenchmarkCategory("Encrypt 1 KiB, caching CMM hit"), Benchmark(Description = "AWS KMS")]
    public int EncryptKms() => Encrypt("AWS KMS");

    [BenchmarkCategory("Encrypt 1 KiB, caching CMM hit"), Benchmark(Description = "AWS KMS MRK")]
    public int EncryptKmsMrk() => Encrypt("AWS KMS MRK");

    [BenchmarkCategory("Encrypt 1 KiB, caching CMM hit"), Benchmark(Description = "AWS KMS RSA")]
    public int EncryptKmsRsa() => Encrypt("AWS KMS RSA");

    [BenchmarkCategory("Encrypt 1 KiB, caching CMM hit"), Benchmark(Description = "raw ECDH")]
    public int EncryptRawEcdh() => Encrypt("raw ECDH");

    [BenchmarkCategory("Encrypt 1 KiB, caching CMM hit"), Benchmark(Description = "AWS KMS ECDH")]
    public int EncryptKmsEcdh() => Encrypt("AWS KMS ECDH");

    [BenchmarkCategory("Decrypt 1 KiB, caching CMM hit"), Benchmark(Baseline = true, Description = "raw AES")]
    public int DecryptRawAes() => Decrypt("raw AES");

    [BenchmarkCategory("Decrypt 1 KiB, caching CMM hit"), Benchmark(Description = "AWS KMS discovery")]
    public int DecryptKmsDiscovery() => Decrypt("AWS KMS");

    [BenchmarkCategory("Decrypt 1 KiB, caching CMM hit"), Benchmark(Description = "AWS KMS MRK discovery")]
    public int DecryptKmsMrkDiscovery() => Decrypt("AWS KMS MRK");

    [BenchmarkCategory("Encrypt 1 KiB, keyring per message"), Benchmark(Baseline = true, Description = "raw AES")]
    public int EncryptAesDirect() => Encrypt("raw AES, per message");

    [BenchmarkCategory("Encrypt 1 KiB, keyring per message"), Benchmark(Description = "hierarchical, branch key cached")]
    public int EncryptHierarchical() => Encrypt("hierarchical, branch key cached");

    [BenchmarkCategory("Decrypt 1 KiB, keyring per message"), Benchmark(Baseline = true, Description = "raw AES")]
    public int DecryptAesDirect() => Decrypt("raw AES, per message");

    [BenchmarkCategory("Decrypt 1 KiB, keyring per message"), Benchmark(Description = "hierarchical, branch key cached")]
    public int DecryptHierarchical() => Decrypt("hierarchical, branch key cached");

    private int Encrypt(string name) => _encryptor.Encrypt(_encrypt[name]).Ciphertext.Length;

    private int Decrypt(string name) => _encryptor.Decrypt(_decrypt[name]).Plaintext.Length;

    private void Cached(string name, IKeyring encrypting, IKeyring? decrypting)
    {
        var cache = new LocalCryptoMaterialsCache(capacity: 100);
        var options = new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromHours(1) };
        var encryptCmm = new CachingCryptoMaterialsManager(encrypting, cache, options);
        _encrypt[name] = new EncryptInput { Plaintext = _plaintext, MaterialsManager = encryptCmm, EncryptionContext = s_context, AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY };
        byte[] message = _encryptor.Encrypt(_encrypt[name]).Ciphertext.ToArray(); // warms the encrypt side
        _decrypt[name] = new DecryptInput { Ciphertext = message, MaterialsManager = new CachingCryptoMaterialsManager(decrypting ?? encrypting, cache, options) };
        _ = _encryptor.Decrypt(_decrypt[name]); // warms the decrypt side
    }

    private void Direct(string name, IKeyring keyring)
    {
        _encrypt[name] = new EncryptInput { Plaintext = _plaintext, Keyring = keyring, EncryptionContext = s_context, AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY };
        byte[] message = _encryptor.Encrypt(_encrypt[name]).Ciphertext.ToArray();
        _decrypt[name] = new DecryptInput { Ciphertext = message, Keyring = keyring };
        _ = _encryptor.Decrypt(_decrypt[name]);
    }
}
