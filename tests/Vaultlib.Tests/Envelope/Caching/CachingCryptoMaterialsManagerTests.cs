using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Envelope;
using Vaultlib.Envelope.Format;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Caching;

public sealed class CachingCryptoMaterialsManagerTests : IDisposable
{
    private static readonly AlgorithmSuite s_suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    private readonly RawAesKeyring _aes = new("cache-tests", "aes", RandomNumberGenerator.GetBytes(32));
    private readonly CountingKeyring _keyring;
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private readonly LocalCryptoMaterialsCache _cache;
    private readonly EnvelopeEncryptor _encryptor = new();

    public CachingCryptoMaterialsManagerTests()
    {
        _keyring = new CountingKeyring(_aes);
        _cache = new LocalCryptoMaterialsCache(capacity: 10, _clock);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _aes.Dispose();
    }

    private CachingCryptoMaterialsManager Cmm(TimeSpan? maxAge = null, long maxMessages = CachingCryptoMaterialsManagerOptions.MaxMessagesLimit, long maxBytes = long.MaxValue, string? partition = null, LocalCryptoMaterialsCache? cache = null) =>
        new(_keyring, cache ?? _cache, new CachingCryptoMaterialsManagerOptions { MaxAge = maxAge ?? TimeSpan.FromMinutes(5), MaxMessagesEncrypted = maxMessages, MaxBytesEncrypted = maxBytes, PartitionName = partition });

    private async Task<byte[]> Encrypt(ICryptoMaterialsManager cmm, int length = 100, Dictionary<string, string>? context = null, AlgorithmSuite? suite = null) =>
        (await _encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[length], MaterialsManager = cmm, AlgorithmSuiteId = suite ?? s_suite, EncryptionContext = context })).Ciphertext.ToArray();

    /// <summary>The first encrypted data key's ciphertext: equal for messages that share a data key.</summary>
    private static string DataKeyOf(byte[] message)
    {
        Assert.True(MessageHeader.TryParse(message, null, out MessageHeader? header));
        return Convert.ToHexString(header!.EncryptedDataKeys[0].Ciphertext.Span);
    }

    [Fact]
    public async Task A_warm_cache_reuses_the_data_key_and_each_message_is_still_unique()
    {
        CachingCryptoMaterialsManager cmm = Cmm();
        byte[] first = await Encrypt(cmm);
        byte[] second = await Encrypt(cmm);

        Assert.Equal(1, _keyring.Encrypts);
        Assert.Equal(DataKeyOf(first), DataKeyOf(second));
        Assert.NotEqual(first, second); // fresh message id, so a fresh derived key
        Assert.Equal(new byte[100], (await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = second, Keyring = _aes })).Plaintext.ToArray());
    }

    [Fact]
    public async Task A_data_key_encrypts_at_most_MaxMessagesEncrypted_messages()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxMessages: 3);
        var keys = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            keys.Add(DataKeyOf(await Encrypt(cmm)));
        }

        Assert.Equal(3, _keyring.Encrypts);
        Assert.Equal([3, 3, 1], keys.GroupBy(k => k).Select(g => g.Count()));
    }

    [Fact]
    public async Task A_data_key_encrypts_at_most_MaxBytesEncrypted_bytes()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxBytes: 1000);
        string[] keys = [DataKeyOf(await Encrypt(cmm, 400)), DataKeyOf(await Encrypt(cmm, 400)), DataKeyOf(await Encrypt(cmm, 400))];
        Assert.Equal(keys[0], keys[1]);   // 800 bytes
        Assert.NotEqual(keys[1], keys[2]); // 1200 would pass the limit: a new data key

        // One message at or over the limit bypasses the cache altogether.
        int before = _keyring.Encrypts;
        await Encrypt(cmm, 1000);
        await Encrypt(cmm, 1000);
        Assert.Equal(before + 2, _keyring.Encrypts);
    }

    [Fact]
    public async Task A_data_key_is_never_used_past_MaxAge()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxAge: TimeSpan.FromSeconds(30));
        string first = DataKeyOf(await Encrypt(cmm));
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(first, DataKeyOf(await Encrypt(cmm)));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.NotEqual(first, DataKeyOf(await Encrypt(cmm)));
        Assert.Equal(2, _keyring.Encrypts);
    }

    [Fact]
    public async Task Unknown_lengths_and_suites_without_key_derivation_bypass_the_cache()
    {
        CachingCryptoMaterialsManager cmm = Cmm();
        var legacy = new EnvelopeEncryptor(new EnvelopeEncryptorOptions { CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT });
        for (int i = 0; i < 2; i++)
        {
            await legacy.EncryptAsync(new EncryptInput { Plaintext = new byte[10], MaterialsManager = cmm, AlgorithmSuiteId = AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF });
        }

        Assert.Equal(2, _keyring.Encrypts);
        Assert.Equal(0, _cache.Count);

        for (int i = 0; i < 2; i++)
        {
            using var sink = new MemoryStream();
            await _encryptor.EncryptStreamAsync(new UnknownLengthStream(new byte[10]), sink, new EncryptStreamInput { MaterialsManager = cmm, AlgorithmSuiteId = s_suite });
        }

        Assert.Equal(4, _keyring.Encrypts);
        Assert.Equal(0, _cache.Count);
    }

    [Fact]
    public async Task The_least_recently_used_entry_is_evicted_at_capacity()
    {
        using var small = new LocalCryptoMaterialsCache(capacity: 2, _clock);
        CachingCryptoMaterialsManager cmm = Cmm(cache: small);
        Dictionary<string, string> a = new() { ["c"] = "a" }, b = new() { ["c"] = "b" }, c = new() { ["c"] = "c" };
        await Encrypt(cmm, context: a);
        await Encrypt(cmm, context: b);
        await Encrypt(cmm, context: a);  // a is now the most recently used
        await Encrypt(cmm, context: c);  // evicts b
        Assert.Equal(3, _keyring.Encrypts);
        Assert.Equal(2, small.Count);
        await Encrypt(cmm, context: a);  // still cached
        Assert.Equal(3, _keyring.Encrypts);
        await Encrypt(cmm, context: b);  // was evicted
        Assert.Equal(4, _keyring.Encrypts);
    }

    [Fact]
    public async Task Evicted_data_keys_are_zeroed_once_no_message_holds_them()
    {
        CachingCryptoMaterialsManager cmm = Cmm();
        var input = new GetEncryptionMaterialsInput { EncryptionContext = new Dictionary<string, string>(), CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT, AlgorithmSuiteId = s_suite, MaxPlaintextLength = 10 };
        EncryptionMaterials inFlight = await cmm.GetEncryptionMaterialsAsync(input);

        _cache.Clear();  // evicts while a message still holds the key
        Assert.False(inFlight.IsDataKeyReleased);
        byte[] copy = new byte[32];
        inFlight.CopyPlaintextDataKey(copy);  // still usable
        Assert.Contains(copy, b => b != 0);

        inFlight.Dispose();
        Assert.True(inFlight.IsDataKeyReleased);
    }

    [Fact]
    public async Task Decrypt_materials_are_cached_within_MaxAge()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxAge: TimeSpan.FromSeconds(10));
        byte[] message = await Encrypt(new DefaultCryptoMaterialsManager(_keyring));
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(new byte[100], (await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm })).Plaintext.ToArray());
        }

        Assert.Equal(1, _keyring.Decrypts);
        _clock.Advance(TimeSpan.FromSeconds(11));
        await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm });
        Assert.Equal(2, _keyring.Decrypts);
    }

    [Fact]
    public async Task Partitions_do_not_share_entries()
    {
        await Encrypt(Cmm(partition: "one"));
        await Encrypt(Cmm(partition: "one"));
        await Encrypt(Cmm(partition: "two"));
        Assert.Equal(2, _keyring.Encrypts);
    }

    [Fact]
    public void Limits_are_validated_with_plain_sentences()
    {
        Assert.Contains("Max age must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => Cmm(maxAge: TimeSpan.Zero)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Cmm(maxMessages: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cmm(maxMessages: CachingCryptoMaterialsManagerOptions.MaxMessagesLimit + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Cmm(maxBytes: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalCryptoMaterialsCache(0));
    }

    [Fact]
    public async Task Thread_storm_no_data_key_exceeds_its_limit_and_every_message_decrypts()
    {
        const int Threads = 8, PerThread = 250, MaxMessages = 40;
        using var cache = new LocalCryptoMaterialsCache(capacity: 4, _clock); // 5 contexts: evictions happen under contention
        CachingCryptoMaterialsManager cmm = Cmm(maxMessages: MaxMessages, cache: cache);
        Dictionary<string, string>[] contexts = [.. Enumerable.Range(0, 5).Select(i => new Dictionary<string, string> { ["tenant"] = $"t{i}" })];
        var messages = new ConcurrentBag<byte[]>();
        using var start = new Barrier(Threads);

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(async () =>
        {
            var random = new Random(t);
            start.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                messages.Add(await Encrypt(cmm, 64, contexts[random.Next(contexts.Length)]));
            }
        })));

        Assert.Equal(Threads * PerThread, messages.Count);
        var uses = messages.GroupBy(DataKeyOf).Select(g => g.Count()).ToArray();
        Assert.True(uses.Max() <= MaxMessages, $"a data key encrypted {uses.Max()} messages; the limit is {MaxMessages}");
        Assert.True(_keyring.Encrypts < messages.Count / 2, $"the cache should serve most messages; the keyring was called {_keyring.Encrypts} times");
        Assert.True(cache.Count <= 4);
        foreach (byte[] message in messages.Take(200))
        {
            Assert.Equal(new byte[64], (await _encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, Keyring = _aes })).Plaintext.ToArray());
        }
    }

    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
