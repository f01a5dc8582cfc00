using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Envelope;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope;

/// <summary>The materials cache and the secrets caching client count their hits, misses and evictions (with the reason) on the <c>Vaultlib</c> meter.</summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class CacheMetricsTests : IDisposable
{
    private readonly TelemetryRecorder _recorder = new();

    private List<TelemetryRecorder.Measurement> CacheMeasurements => [.. _recorder.Of("vaultlib.cache.lookups"), .. _recorder.Of("vaultlib.cache.evictions")];

    public void Dispose() => _recorder.Dispose();

    private int Count(string instrument, string key, string value) =>
        _recorder.Of(instrument, tags => Equals(tags.GetValueOrDefault(key), value)).Count;

    [Fact]
    public async Task Hits_misses_and_evictions_are_counted_with_their_reason()
    {
        FakeTimeProvider clock = TestData.NewClock();
        using var cache = new LocalCryptoMaterialsCache(capacity: 2, clock);
        var cmm = new CachingCryptoMaterialsManager(new RawAesKeyring("ns", "k", RandomNumberGenerator.GetBytes(32)), cache, new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1) });
        var encryptor = new EnvelopeEncryptor();
        Task Encrypt(string tenant) => encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[10], MaterialsManager = cmm, EncryptionContext = new Dictionary<string, string> { ["tenant"] = tenant } }).AsTask();

        await Encrypt("a"); // miss, stored
        await Encrypt("a"); // hit
        await Encrypt("b"); // miss, stored
        await Encrypt("c"); // miss; the cache is full: "a", the least recently used, goes
        clock.Advance(TimeSpan.FromMinutes(2));
        await Encrypt("b"); // "b" expired: evicted, and a miss

        Assert.Equal(1, Count("vaultlib.cache.lookups", "vaultlib.cache.result", "hit"));
        Assert.Equal(4, Count("vaultlib.cache.lookups", "vaultlib.cache.result", "miss"));
        Assert.Equal(5, Count("vaultlib.cache.lookups", "vaultlib.cache.operation", "encrypt"));
        Assert.Equal(1, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "capacity"));
        Assert.Equal(1, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "expired"));
        Assert.All(CacheMeasurements, m => Assert.Equal("crypto-materials", m.Tags["vaultlib.cache"]));
    }

    [Fact]
    public async Task Decrypt_lookups_and_evictions_for_limits_replacement_and_capacity_after_Clear_are_counted()
    {
        FakeTimeProvider clock = TestData.NewClock();
        using var keyring = new RawAesKeyring("ns", "k", RandomNumberGenerator.GetBytes(32));
        using var cache = new LocalCryptoMaterialsCache(capacity: 1, clock);
        var cmm = new CachingCryptoMaterialsManager(keyring, cache, new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1), MaxMessagesEncrypted = 1 });
        var encryptor = new EnvelopeEncryptor();
        byte[] message = (await encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[10], Keyring = keyring })).Ciphertext.ToArray();
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm }); // decrypt miss, stored
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm }); // decrypt hit
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm }); // decrypt hit
        Assert.Equal(2, _recorder.Of("vaultlib.cache.lookups", t => Equals(t["vaultlib.cache.operation"], "decrypt") && Equals(t["vaultlib.cache.result"], "hit")).Count);
        Assert.Single(_recorder.Of("vaultlib.cache.lookups", t => Equals(t["vaultlib.cache.operation"], "decrypt") && Equals(t["vaultlib.cache.result"], "miss")));

        cache.Clear();
        Task Encrypt(string tenant) => encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[10], MaterialsManager = cmm, EncryptionContext = new Dictionary<string, string> { ["tenant"] = tenant } }).AsTask();
        await Encrypt("a"); // stored into the emptied cache: nothing to evict
        Assert.Equal(0, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "capacity"));
        await Encrypt("a"); // its one message is used up: dropped for its limits, then stored again
        Assert.Equal(1, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "limits"));
        await Encrypt("b"); // the cache holds one: "a" goes
        Assert.Equal(1, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "capacity"));
        Assert.Equal(0, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "replaced"));

        // Storing under an id already held replaces the entry.
        var input = new GetEncryptionMaterialsInput { EncryptionContext = new Dictionary<string, string> { ["tenant"] = "b" }, CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, MaxPlaintextLength = 10 };
        EncryptionMaterials fresh = await new DefaultCryptoMaterialsManager(keyring).GetEncryptionMaterialsAsync(input);
        cache.Put(cmm.EncryptCacheId(input), fresh, TimeSpan.FromMinutes(1), messages: 1, bytes: 10);
        Assert.Equal(1, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "replaced"));
    }

    [Fact]
    public async Task The_secrets_caching_client_counts_its_hits_misses_and_replaced_items()
    {
        FakeTimeProvider clock = TestData.NewClock();
        using var host = new Vaultlib.VaultlibHost(timeProvider: clock);
        await host.Secrets.CreateSecretAsync(new Vaultlib.Secrets.CreateSecretRequest { Name = "app/db", SecretString = "v1" });
        using var cache = new Vaultlib.Secrets.SecretsManagerCache(host.Secrets, new Vaultlib.Secrets.SecretCacheConfiguration { RefreshOnChange = false }, clock);

        await cache.GetSecretStringAsync("app/db"); // miss
        await cache.GetSecretStringAsync("app/db"); // hit
        await cache.GetSecretBinaryAsync("app/db"); // hit
        clock.Advance(TimeSpan.FromHours(2));
        await cache.GetSecretStringAsync("app/db"); // miss: the item's time to live ended, and the refresh replaces it

        Assert.Equal(2, Count("vaultlib.cache.lookups", "vaultlib.cache.result", "hit"));
        Assert.Equal(2, Count("vaultlib.cache.lookups", "vaultlib.cache.result", "miss"));
        for (int i = 0; i < 100 && Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "replaced") == 0; i++)
        {
            await Task.Delay(20); // MemoryCache runs eviction callbacks on the thread pool
        }

        Assert.Equal(1, Count("vaultlib.cache.evictions", "vaultlib.cache.eviction.reason", "replaced"));
        Assert.All(CacheMeasurements, m => Assert.Equal("secrets", m.Tags["vaultlib.cache"]));
        Assert.DoesNotContain(CacheMeasurements.SelectMany(m => m.Tags.Values), v => v is string text && text.Contains("app/db", StringComparison.Ordinal));
    }
}
