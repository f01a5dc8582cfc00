using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>
/// The hierarchical keyring over Vaultlib's branch key store: KMS once per branch key version per TTL, versions that
/// keep old messages readable, records that fail authentication when altered, tenants chosen by a supplier, and branch
/// keys that survive the store being reopened.
/// </summary>
public sealed class AwsKmsHierarchicalKeyringTests : IDisposable
{
    private static readonly Dictionary<string, string> s_context = new() { ["tenant"] = "acme" };
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private readonly VaultlibHost _host;
    private readonly InMemoryVaultStore _records = new();
    private readonly RecordingKmsClient _kms;
    private readonly string _kmsKeyArn;
    private readonly VaultBranchKeyStore _keyStore;
    private readonly EnvelopeEncryptor _encryptor = new();

    public AwsKmsHierarchicalKeyringTests()
    {
        _host = new VaultlibHost(timeProvider: _clock);
        _kms = new RecordingKmsClient(new KeyServiceKeyringClient(_host.Keys));
        _kmsKeyArn = _host.Keys.CreateKeyAsync(new CreateKeyRequest()).GetAwaiter().GetResult().KeyMetadata.Arn;
        _keyStore = new VaultBranchKeyStore(_records, _kms, _kmsKeyArn, "orders-keystore", timeProvider: _clock);
    }

    public void Dispose()
    {
        _host.Dispose();
        _records.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private byte[] Encrypt(IKeyring keyring, byte[] plaintext, IReadOnlyDictionary<string, string>? context = null) =>
        _encryptor.Encrypt(new EncryptInput { Plaintext = plaintext, Keyring = keyring, EncryptionContext = context ?? s_context }).Ciphertext.ToArray();

    private byte[] Decrypt(IKeyring keyring, byte[] message) => _encryptor.Decrypt(new DecryptInput { Ciphertext = message, Keyring = keyring }).Plaintext.ToArray();

    [Fact]
    public async Task KMS_is_called_once_per_branch_key_version_per_TTL()
    {
        string branchKeyId = await _keyStore.CreateKeyAsync();
        Assert.Equal([typeof(GenerateDataKeyWithoutPlaintextRequest), typeof(ReEncryptRequest)], _kms.Requests.Select(r => r.GetType()));
        _kms.Requests.Clear();
        var keyring = new AwsKmsHierarchicalKeyring(_keyStore, branchKeyId, null, TimeSpan.FromMinutes(10), timeProvider: _clock);

        byte[][] messages = [.. Enumerable.Range(0, 20).Select(i => Encrypt(keyring, [(byte)i]))];
        Assert.Single(_kms.Decrypts);
        for (int i = 0; i < messages.Length; i++)
        {
            Assert.Equal([(byte)i], Decrypt(keyring, messages[i]));
        }

        Assert.Equal(2, _kms.Decrypts.Count()); // the version, for decrypting, is its own cache entry
        EncryptedDataKey edk = EnvelopeEncryptor.ParseHeader(messages[0]).EncryptedDataKeys.Single();
        Assert.Equal(("aws-kms-hierarchy", branchKeyId), (edk.KeyProviderId, Encoding.UTF8.GetString(edk.KeyProviderInfo.Span)));
        Assert.Equal(16 + 12 + 16 + 32 + 16, edk.Ciphertext.Length);

        _clock.Advance(TimeSpan.FromMinutes(10));
        Encrypt(keyring, [1]);
        Assert.Equal(3, _kms.Decrypts.Count());
        DecryptRequest request = _kms.Decrypts.Last();
        Assert.Equal((_kmsKeyArn, "orders-keystore", "branch:ACTIVE"), (request.KeyId, request.EncryptionContext!["tablename"], request.EncryptionContext["type"]));
    }

    [Fact]
    public async Task A_new_version_encrypts_new_messages_and_old_ones_still_decrypt()
    {
        string branchKeyId = await _keyStore.CreateKeyAsync("tenant-a", new Dictionary<string, string> { ["department"] = "billing" });
        using BranchKeyMaterials first = await _keyStore.GetActiveBranchKeyAsync(branchKeyId);
        Assert.Equal("billing", first.EncryptionContext["department"]);
        var keyring = new AwsKmsHierarchicalKeyring(_keyStore, branchKeyId, null, TimeSpan.FromSeconds(1), timeProvider: _clock);
        byte[] before = Encrypt(keyring, [1]);

        await _keyStore.VersionKeyAsync(branchKeyId);
        _clock.Advance(TimeSpan.FromSeconds(1));
        byte[] after = Encrypt(keyring, [2]);

        using BranchKeyMaterials second = await _keyStore.GetActiveBranchKeyAsync(branchKeyId);
        Assert.NotEqual(first.BranchKeyVersion, second.BranchKeyVersion);
        Assert.Equal("billing", second.EncryptionContext["department"]);
        Assert.Equal(first.BranchKeyVersion, Version(before));
        Assert.Equal(second.BranchKeyVersion, Version(after));
        using BranchKeyMaterials old = await _keyStore.GetBranchKeyVersionAsync(branchKeyId, first.BranchKeyVersion);
        Assert.Equal(first.BranchKeyVersion, old.BranchKeyVersion);
        var fresh = new AwsKmsHierarchicalKeyring(_keyStore, branchKeyId, null, TimeSpan.FromMinutes(1), timeProvider: _clock);
        Assert.Equal([1], Decrypt(fresh, before));
        Assert.Equal([2], Decrypt(fresh, after));

        await Assert.ThrowsAsync<BranchKeyStoreException>(() => _keyStore.CreateKeyAsync("tenant-a", new Dictionary<string, string>()));
        await Assert.ThrowsAsync<BranchKeyStoreException>(() => _keyStore.GetActiveBranchKeyAsync("no-such-key"));
        await Assert.ThrowsAsync<BranchKeyStoreException>(() => _keyStore.VersionKeyAsync("no-such-key"));
        await Assert.ThrowsAsync<BranchKeyStoreException>(() => _keyStore.GetBranchKeyVersionAsync(branchKeyId, Guid.NewGuid().ToString()));
        await Assert.ThrowsAsync<ArgumentException>(() => _keyStore.CreateKeyAsync("own-id"));
    }

    [Theory]
    [InlineData("create-time", "2020-01-01T00:00:00.000000Z")]
    [InlineData("aws-crypto-ec:department", "payroll")]
    [InlineData("hierarchy-version", "2")]
    [InlineData("version", "branch:version:00000000-0000-4000-8000-000000000000")]
    public async Task A_record_whose_attributes_were_altered_at_rest_fails_authentication(string attribute, string value)
    {
        string branchKeyId = await _keyStore.CreateKeyAsync("tenant-b", new Dictionary<string, string> { ["department"] = "billing" });
        var key = new RecordKey("branch-key-store/orders-keystore", "branch-keys", $"{branchKeyId}/branch:ACTIVE");
        StoredRecord record = (await _records.ReadAsync(key))!;
        Dictionary<string, string> item = JsonSerializer.Deserialize<Dictionary<string, string>>(record.Data.Span)!;
        item[attribute] = value;
        await _records.CommitAsync([RecordWrite.Put(key, record.Version, JsonSerializer.SerializeToUtf8Bytes(item))]);

        var refused = await Assert.ThrowsAsync<BranchKeyStoreException>(() => _keyStore.GetActiveBranchKeyAsync(branchKeyId));
        Assert.IsType<InvalidCiphertextException>(refused.InnerException);
        await Assert.ThrowsAsync<BranchKeyStoreException>(() => _keyStore.VersionKeyAsync(branchKeyId));
    }

    [Fact]
    public async Task A_supplier_chooses_each_tenant_s_branch_key_from_the_encryption_context()
    {
        string a = await _keyStore.CreateKeyAsync(), b = await _keyStore.CreateKeyAsync();
        var supplier = new TenantSupplier(new Dictionary<string, string> { ["a"] = a, ["b"] = b });
        var keyring = new AwsKmsHierarchicalKeyring(_keyStore, null, supplier, TimeSpan.FromMinutes(5), timeProvider: _clock);

        byte[] forA = Encrypt(keyring, [1], new Dictionary<string, string> { ["tenant"] = "a" });
        byte[] forB = Encrypt(keyring, [2], new Dictionary<string, string> { ["tenant"] = "b" });

        Assert.Equal(a, Encoding.UTF8.GetString(EnvelopeEncryptor.ParseHeader(forA).EncryptedDataKeys[0].KeyProviderInfo.Span));
        Assert.Equal(b, Encoding.UTF8.GetString(EnvelopeEncryptor.ParseHeader(forB).EncryptedDataKeys[0].KeyProviderInfo.Span));
        Assert.Equal([1], Decrypt(keyring, forA));
        Assert.Equal([2], Decrypt(keyring, forB));
        Assert.Equal(4, keyring.CachedBranchKeys);
        var onlyA = new AwsKmsHierarchicalKeyring(_keyStore, a, null, TimeSpan.FromMinutes(5), timeProvider: _clock);
        Assert.Throws<CannotUnwrapDataKeyException>(() => Decrypt(onlyA, forB));
    }

    [Fact]
    public async Task The_encryption_context_branch_key_and_version_are_authenticated()
    {
        string branchKeyId = await _keyStore.CreateKeyAsync();
        var keyring = new AwsKmsHierarchicalKeyring(_keyStore, branchKeyId, null, TimeSpan.FromMinutes(5), timeProvider: _clock);
        var materials = new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await keyring.OnEncryptAsync(materials);
        EncryptedDataKey edk = materials.EncryptedDataKeys.Single();

        var other = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string> { ["tenant"] = "evil" });
        var refused = await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(other, [edk]).AsTask());
        Assert.IsType<MaterialProvidersException>(Assert.Single(Assert.IsType<AggregateException>(refused.InnerException).InnerExceptions));

        foreach (int position in new[] { 0, 20, 45, edk.Ciphertext.Length - 1 })
        {
            byte[] tampered = edk.Ciphertext.ToArray();
            tampered[position] ^= 1;
            var same = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
            await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(same, [edk with { Ciphertext = tampered }]).AsTask());
            Assert.False(same.HasPlaintextDataKey);
        }

        var wrongLength = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        await Assert.ThrowsAsync<CannotUnwrapDataKeyException>(() => keyring.OnDecryptAsync(wrongLength, [edk with { Ciphertext = edk.Ciphertext[..^1] }]).AsTask());
        var held = new DecryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, s_context);
        held.SetPlaintextDataKey(new byte[32]);
        await Assert.ThrowsAsync<MaterialProvidersException>(() => keyring.OnDecryptAsync(held, [edk]).AsTask());
    }

    [Fact]
    public async Task Cached_branch_keys_are_zeroed_when_evicted_and_the_cache_keeps_to_its_size()
    {
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add(await _keyStore.CreateKeyAsync());
        }

        var store = new WatchingStore(_keyStore);
        var keyring = new AwsKmsHierarchicalKeyring(store, null, new TenantSupplier(ids.ToDictionary(id => id)), TimeSpan.FromMinutes(5), maxCacheSize: 2, timeProvider: _clock);
        foreach (string id in ids)
        {
            Encrypt(keyring, [1], new Dictionary<string, string> { ["tenant"] = id });
        }

        Assert.Equal(2, keyring.CachedBranchKeys);
        Assert.True(store.Fetched[0].IsKeyReleased, "the least recently used branch key is zeroed on eviction");
        Assert.False(store.Fetched[2].IsKeyReleased);

        var uncached = new AwsKmsHierarchicalKeyring(store, ids[0], null, TimeSpan.FromMinutes(5), maxCacheSize: 0, timeProvider: _clock);
        Encrypt(uncached, [1]);
        Assert.Equal(0, uncached.CachedBranchKeys);
        Assert.True(store.Fetched[^1].IsKeyReleased, "a cache of size zero keeps nothing");

        Assert.Throws<ArgumentException>(() => new AwsKmsHierarchicalKeyring(_keyStore, null, null, TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentException>(() => new AwsKmsHierarchicalKeyring(_keyStore, "a", store.Supplier, TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AwsKmsHierarchicalKeyring(_keyStore, "a", null, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AwsKmsHierarchicalKeyring(_keyStore, "a", null, TimeSpan.FromMinutes(1), maxCacheSize: -1));
    }

    [Fact]
    public async Task The_least_recently_used_branch_key_goes_first_and_an_expired_one_is_zeroed_when_fetched_again()
    {
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ids.Add(await _keyStore.CreateKeyAsync());
        }

        var store = new WatchingStore(_keyStore);
        var keyring = new AwsKmsHierarchicalKeyring(store, null, new TenantSupplier(ids.ToDictionary(id => id)), TimeSpan.FromMinutes(5), maxCacheSize: 2, timeProvider: _clock);
        void Use(int tenant) => Encrypt(keyring, [1], new Dictionary<string, string> { ["tenant"] = ids[tenant] });

        Use(0);
        Use(1);
        Use(0); // a hit: tenant 0 is now the most recently used
        Use(2); // evicts tenant 1, the least recently used

        Assert.Equal(3, store.Fetched.Count);
        Assert.True(store.Fetched[1].IsKeyReleased);
        Assert.False(store.Fetched[0].IsKeyReleased);
        Use(0);
        Assert.Equal(3, store.Fetched.Count); // still cached

        _clock.Advance(TimeSpan.FromMinutes(5));
        Use(0);
        Assert.Equal(4, store.Fetched.Count);
        Assert.True(store.Fetched[0].IsKeyReleased, "the expired copy is zeroed once replaced");
        Assert.Equal(2, keyring.CachedBranchKeys);
        Use(1); // evicts tenant 2, now the least recently used
        Assert.True(store.Fetched[2].IsKeyReleased);
        Assert.Equal(2, keyring.CachedBranchKeys);

        _clock.Advance(TimeSpan.FromMinutes(5));
        store.Fail = true;
        Assert.Throws<BranchKeyStoreException>(() => Use(1));
        Assert.True(store.Fetched[^1].IsKeyReleased, "an expired branch key is zeroed even when fetching it again fails");
        Assert.Equal(1, keyring.CachedBranchKeys);
    }

    [Fact]
    public void The_cache_replaces_an_entry_added_twice_and_frees_the_first()
    {
        var cache = new BranchKeyCache(10, TimeSpan.FromMinutes(1), _clock);
        var first = new BranchKeyMaterials("id", Guid.NewGuid().ToString(), new Dictionary<string, string>(), new byte[32]);
        var second = new BranchKeyMaterials("id", Guid.NewGuid().ToString(), new Dictionary<string, string>(), new byte[32]);

        cache.Add("ACTIVE\0id", first).Release();
        cache.Add("ACTIVE\0id", second).Release(); // two fetches raced

        Assert.True(first.IsKeyReleased);
        Assert.False(second.IsKeyReleased);
        Assert.Equal(1, cache.Count);
        BranchKeyMaterials hit = cache.TryGet("ACTIVE\0id")!;
        Assert.Same(second, hit);
        hit.Release();
    }

    [Fact]
    public async Task Branch_keys_survive_the_store_being_reopened()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("branch-keys.db");
        byte[] message, branchKey;
        string branchKeyId;
        await using (SqliteVaultStore sqlite = SqliteVaultStore.Open(path, _clock))
        {
            var store = new VaultBranchKeyStore(sqlite, _kms, _kmsKeyArn, "durable", timeProvider: _clock);
            branchKeyId = await store.CreateKeyAsync();
            message = Encrypt(new AwsKmsHierarchicalKeyring(store, branchKeyId, null, TimeSpan.FromMinutes(1), timeProvider: _clock), [7]);
            using BranchKeyMaterials materials = await store.GetActiveBranchKeyAsync(branchKeyId);
            using Vaultlib.Internal.SecretLease lease = materials.LeaseKey();
            branchKey = lease.Span.ToArray();
        }

        await using (SqliteVaultStore reopened = SqliteVaultStore.Open(path, _clock))
        {
            var store = new VaultBranchKeyStore(reopened, _kms, _kmsKeyArn, "durable", timeProvider: _clock);
            Assert.Equal([7], Decrypt(new AwsKmsHierarchicalKeyring(store, branchKeyId, null, TimeSpan.FromMinutes(1), timeProvider: _clock), message));
            var renamed = new VaultBranchKeyStore(reopened, _kms, _kmsKeyArn, "other-name", timeProvider: _clock);
            await Assert.ThrowsAsync<BranchKeyStoreException>(() => renamed.GetActiveBranchKeyAsync(branchKeyId));
        }

        foreach (string file in Directory.GetFiles(temp.Path))
        {
            Assert.Equal(-1, (await File.ReadAllBytesAsync(file)).AsSpan().IndexOf(branchKey)); // only KMS-wrapped at rest
        }
    }

    private static string Version(byte[] message) =>
        new Guid(EnvelopeEncryptor.ParseHeader(message).EncryptedDataKeys[0].Ciphertext.Span.Slice(28, 16), bigEndian: true).ToString();

    private sealed class TenantSupplier(IReadOnlyDictionary<string, string> byTenant) : IBranchKeyIdSupplier
    {
        public ValueTask<string> GetBranchKeyIdAsync(IReadOnlyDictionary<string, string> encryptionContext, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(byTenant[encryptionContext["tenant"]]);
    }

    /// <summary>Keeps every branch key materials the store hands out, to see them zeroed.</summary>
    private sealed class WatchingStore(IBranchKeyStore inner) : IBranchKeyStore
    {
        public List<BranchKeyMaterials> Fetched { get; } = [];

        public bool Fail { get; set; }

        public IBranchKeyIdSupplier Supplier { get; } = new TenantSupplier(new Dictionary<string, string>());

        public async Task<BranchKeyMaterials> GetActiveBranchKeyAsync(string branchKeyIdentifier, CancellationToken cancellationToken = default)
        {
            if (Fail)
            {
                throw new BranchKeyStoreException("the store is down");
            }

            BranchKeyMaterials materials = await inner.GetActiveBranchKeyAsync(branchKeyIdentifier, cancellationToken);
            Fetched.Add(materials);
            return materials;
        }

        public async Task<BranchKeyMaterials> GetBranchKeyVersionAsync(string branchKeyIdentifier, string branchKeyVersion, CancellationToken cancellationToken = default)
        {
            BranchKeyMaterials materials = await inner.GetBranchKeyVersionAsync(branchKeyIdentifier, branchKeyVersion, cancellationToken);
            Fetched.Add(materials);
            return materials;
        }
    }
}
