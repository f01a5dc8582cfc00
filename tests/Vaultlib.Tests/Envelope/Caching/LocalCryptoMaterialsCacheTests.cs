using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Envelope;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Envelope.Caching;

/// <summary>
/// The cache and the caching manager at their edges: each limit exactly at and one past its value, the smallest
/// valid limits, saturation near <see cref="long.MaxValue"/>, use after dispose, and the data key zeroed on every
/// path that drops an entry (replaced, over capacity, over its limits, expired, cleared, disposed).
/// </summary>
public sealed class LocalCryptoMaterialsCacheTests : IDisposable
{
    private static readonly AlgorithmSuite s_suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    private static readonly Dictionary<string, string> s_context = new() { ["tenant"] = "a" };
    private readonly RawAesKeyring _aes = new("cache-tests", "aes", RandomNumberGenerator.GetBytes(32));
    private readonly CountingKeyring _keyring;
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private readonly LocalCryptoMaterialsCache _cache;

    public LocalCryptoMaterialsCacheTests()
    {
        _keyring = new CountingKeyring(_aes);
        _cache = new LocalCryptoMaterialsCache(capacity: 4, _clock);
    }

    public void Dispose()
    {
        _cache.Dispose();
        _aes.Dispose();
    }

    private CachingCryptoMaterialsManager Cmm(TimeSpan? maxAge = null, long maxMessages = CachingCryptoMaterialsManagerOptions.MaxMessagesLimit, long maxBytes = long.MaxValue, LocalCryptoMaterialsCache? cache = null, ICryptoMaterialsManager? backing = null) =>
        new(backing ?? new DefaultCryptoMaterialsManager(_keyring), cache ?? _cache, new CachingCryptoMaterialsManagerOptions { MaxAge = maxAge ?? TimeSpan.FromMinutes(5), MaxMessagesEncrypted = maxMessages, MaxBytesEncrypted = maxBytes, PartitionName = "p" });

    private static GetEncryptionMaterialsInput Input(long? length, Dictionary<string, string>? context = null, AlgorithmSuite? suite = null) => new()
    {
        EncryptionContext = context ?? s_context,
        CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
        AlgorithmSuiteId = suite ?? s_suite,
        MaxPlaintextLength = length,
    };

    /// <summary>Gets materials and gives the handle back at once: the key then lives only as long as the cache holds it.</summary>
    private static async Task<EncryptionMaterials> Released(CachingCryptoMaterialsManager cmm, long length, Dictionary<string, string>? context = null)
    {
        EncryptionMaterials handle = await cmm.GetEncryptionMaterialsAsync(Input(length, context));
        handle.Dispose();
        return handle;
    }

    private async Task<int> EncryptsFor(CachingCryptoMaterialsManager cmm, params long[] lengths)
    {
        int before = _keyring.Encrypts;
        foreach (long length in lengths)
        {
            (await cmm.GetEncryptionMaterialsAsync(Input(length))).Dispose();
        }

        return _keyring.Encrypts - before;
    }

    // ------------------------------------------------------------------ limits

    [Fact]
    public async Task A_message_as_long_as_the_byte_limit_bypasses_the_cache_and_one_byte_shorter_is_cached()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxBytes: 100);
        Assert.Equal(2, await EncryptsFor(cmm, 100, 100));
        Assert.Equal(0, _cache.Count);

        Assert.Equal(1, await EncryptsFor(cmm, 99, 1));  // 99 + 1 = 100 bytes: exactly the limit, still one key
        Assert.Equal(1, _cache.Count);
        Assert.Equal(1, await EncryptsFor(cmm, 1));      // 101 bytes would pass it: a new key
    }

    [Fact]
    public async Task A_key_serves_exactly_MaxMessagesEncrypted_messages()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxMessages: 2);
        Assert.Equal(1, await EncryptsFor(cmm, 1, 1));
        Assert.Equal(1, await EncryptsFor(cmm, 1));
        Assert.Equal(0, await EncryptsFor(cmm, 1));
    }

    [Fact]
    public async Task The_smallest_limits_still_work_one_message_per_key_and_a_zero_byte_limit_caches_nothing()
    {
        Assert.Equal(3, await EncryptsFor(Cmm(maxMessages: 1), 1, 1, 1));
        Assert.Equal(2, await EncryptsFor(Cmm(maxBytes: 0), 0, 0));
        Assert.Equal(0, _cache.Count - 1); // only the one-message entry's last key is held
    }

    [Fact]
    public async Task Empty_plaintexts_share_a_key_and_count_as_messages()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxMessages: 3);
        Assert.Equal(1, await EncryptsFor(cmm, 0, 0, 0));
        Assert.Equal(1, await EncryptsFor(cmm, 0));
    }

    [Fact]
    public async Task A_key_is_used_at_exactly_MaxAge_and_not_a_tick_later_on_both_sides()
    {
        TimeSpan maxAge = TimeSpan.FromSeconds(10);
        CachingCryptoMaterialsManager cmm = Cmm(maxAge: maxAge);
        Assert.Equal(1, await EncryptsFor(cmm, 1));
        _clock.Advance(maxAge);
        Assert.Equal(0, await EncryptsFor(cmm, 1));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, await EncryptsFor(cmm, 1));

        var encryptor = new EnvelopeEncryptor();
        byte[] message = (await encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[3], Keyring = _keyring, AlgorithmSuiteId = s_suite })).Ciphertext.ToArray();
        int decrypts = _keyring.Decrypts;
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm });
        _clock.Advance(maxAge);
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm });
        Assert.Equal(1, _keyring.Decrypts - decrypts);
        _clock.Advance(TimeSpan.FromTicks(1));
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = cmm });
        Assert.Equal(2, _keyring.Decrypts - decrypts);
    }

    [Fact]
    public async Task Byte_counts_saturate_near_long_MaxValue_instead_of_wrapping_past_the_limit()
    {
        // With a wrap, the second message would make the count negative and pass the limit unnoticed.
        CachingCryptoMaterialsManager cmm = Cmm(maxBytes: long.MaxValue - 1);
        Assert.Equal(1, await EncryptsFor(cmm, long.MaxValue - 2));
        Assert.Equal(1, await EncryptsFor(cmm, 10));
    }

    [Fact]
    public async Task Unknown_and_negative_lengths_required_context_keys_and_unsafe_suites_bypass_the_cache()
    {
        CachingCryptoMaterialsManager cmm = Cmm();
        (await cmm.GetEncryptionMaterialsAsync(Input(null))).Dispose();
        (await cmm.GetEncryptionMaterialsAsync(Input(-1))).Dispose();
        (await cmm.GetEncryptionMaterialsAsync(Input(1, suite: AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF) with { CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT })).Dispose();
        (await cmm.GetEncryptionMaterialsAsync(Input(1) with { RequiredEncryptionContextKeys = ["tenant"] })).Dispose();
        Assert.Equal(0, _cache.Count);
        Assert.Equal(4, _keyring.Encrypts);

        (await cmm.GetEncryptionMaterialsAsync(Input(1) with { RequiredEncryptionContextKeys = [] })).Dispose();
        Assert.Equal(1, _cache.Count);
    }

    [Fact]
    public async Task Materials_the_backing_manager_makes_with_an_unsafe_suite_are_not_stored()
    {
        CachingCryptoMaterialsManager cmm = Cmm(backing: new SuiteForcing(new DefaultCryptoMaterialsManager(_keyring), AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF));
        var input = Input(1) with { AlgorithmSuiteId = null, CommitmentPolicy = CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT };
        using EncryptionMaterials materials = await cmm.GetEncryptionMaterialsAsync(input);
        Assert.Same(AlgorithmSuite.AES_256_GCM_IV12_TAG16_NO_KDF, materials.Suite);
        Assert.Equal(0, _cache.Count);
        (await cmm.GetEncryptionMaterialsAsync(input)).Dispose();
        Assert.Equal(2, _keyring.Encrypts);
    }

    [Fact]
    public async Task A_manager_with_a_shorter_MaxAge_does_not_use_an_entry_another_manager_of_its_partition_stored()
    {
        CachingCryptoMaterialsManager patient = Cmm(maxAge: TimeSpan.FromMinutes(10));
        CachingCryptoMaterialsManager strict = Cmm(maxAge: TimeSpan.FromSeconds(1));
        Assert.Equal(1, await EncryptsFor(patient, 1));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await EncryptsFor(patient, 1));
        Assert.Equal(1, await EncryptsFor(strict, 1));

        var encryptor = new EnvelopeEncryptor();
        byte[] message = (await encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[3], Keyring = _keyring, AlgorithmSuiteId = s_suite })).Ciphertext.ToArray();
        int decrypts = _keyring.Decrypts;
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = patient });
        _clock.Advance(TimeSpan.FromSeconds(2));
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = patient });
        Assert.Equal(1, _keyring.Decrypts - decrypts);
        await encryptor.DecryptAsync(new DecryptInput { Ciphertext = message, MaterialsManager = strict });
        Assert.Equal(2, _keyring.Decrypts - decrypts);

        // An entry the patient manager stored, which the strict one finds too old, is dropped, and its key zeroed
        // once no one holds it (a second message: an entry of its own).
        byte[] second = (await encryptor.EncryptAsync(new EncryptInput { Plaintext = new byte[3], Keyring = _keyring, AlgorithmSuiteId = s_suite })).Ciphertext.ToArray();
        var input = new DecryptMaterialsInput
        {
            AlgorithmSuiteId = s_suite,
            CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
            EncryptedDataKeys = HeaderKeys(second),
            EncryptionContext = new Dictionary<string, string>(),
        };
        DecryptionMaterials held = await patient.DecryptMaterialsAsync(input);
        held.Dispose();
        Assert.False(held.IsDataKeyReleased);
        _clock.Advance(TimeSpan.FromSeconds(2));
        (await strict.DecryptMaterialsAsync(input)).Dispose();
        Assert.True(held.IsDataKeyReleased);
    }

    private static IReadOnlyList<EncryptedDataKey> HeaderKeys(byte[] message)
    {
        Assert.True(Vaultlib.Envelope.Format.MessageHeader.TryParse(message, null, out Vaultlib.Envelope.Format.MessageHeader? header));
        return header!.EncryptedDataKeys;
    }

    // ------------------------------------------------------------------ zeroing on every eviction path

    [Fact]
    public async Task A_key_dropped_for_its_limits_is_zeroed()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxMessages: 1);
        EncryptionMaterials first = await Released(cmm, 1);
        Assert.False(first.IsDataKeyReleased);
        await Released(cmm, 1);
        Assert.True(first.IsDataKeyReleased);
    }

    [Fact]
    public async Task A_key_dropped_for_capacity_is_zeroed_and_the_recently_used_one_kept()
    {
        using var cache = new LocalCryptoMaterialsCache(capacity: 2, _clock);
        CachingCryptoMaterialsManager cmm = Cmm(cache: cache);
        EncryptionMaterials a = await Released(cmm, 1, new() { ["c"] = "a" });
        EncryptionMaterials b = await Released(cmm, 1, new() { ["c"] = "b" });
        await Released(cmm, 1, new() { ["c"] = "a" });
        await Released(cmm, 1, new() { ["c"] = "c" });
        Assert.True(b.IsDataKeyReleased);
        Assert.False(a.IsDataKeyReleased);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public async Task An_expired_key_is_zeroed_when_it_is_next_looked_up()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxAge: TimeSpan.FromSeconds(1));
        EncryptionMaterials first = await Released(cmm, 1);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(first.IsDataKeyReleased);
        EncryptionMaterials second = await Released(cmm, 1);
        Assert.True(first.IsDataKeyReleased);
        Assert.False(second.IsDataKeyReleased);
        Assert.Equal(1, _cache.Count);
    }

    [Fact]
    public async Task A_replaced_key_is_zeroed()
    {
        CachingCryptoMaterialsManager cmm = Cmm();
        GetEncryptionMaterialsInput input = Input(1);
        CacheId id = cmm.EncryptCacheId(input);
        EncryptionMaterials first = await Released(cmm, 1);

        EncryptionMaterials fresh = await new DefaultCryptoMaterialsManager(_keyring).GetEncryptionMaterialsAsync(input);
        _cache.Put(id, fresh, TimeSpan.FromMinutes(5), messages: 1, bytes: 1);
        Assert.True(first.IsDataKeyReleased);
        Assert.False(fresh.IsDataKeyReleased);
        Assert.Equal(1, _cache.Count);
    }

    [Fact]
    public async Task Clear_and_Dispose_zero_every_key_and_a_disposed_cache_refuses_use()
    {
        CachingCryptoMaterialsManager cmm = Cmm();
        EncryptionMaterials a = await Released(cmm, 1, new() { ["c"] = "a" });
        _cache.Clear();
        Assert.True(a.IsDataKeyReleased);
        Assert.Equal(0, _cache.Count);

        EncryptionMaterials b = await Released(cmm, 1, new() { ["c"] = "b" });
        _cache.Dispose();
        Assert.True(b.IsDataKeyReleased);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cmm.GetEncryptionMaterialsAsync(Input(1)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await cmm.DecryptMaterialsAsync(new DecryptMaterialsInput
        {
            AlgorithmSuiteId = s_suite,
            CommitmentPolicy = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
            EncryptedDataKeys = [],
            EncryptionContext = s_context,
        }));
        _cache.Dispose(); // twice is harmless
    }

    [Fact]
    public async Task A_disposed_cache_refuses_to_store_what_a_miss_brought()
    {
        var backing = new Gate(new DefaultCryptoMaterialsManager(_keyring));
        CachingCryptoMaterialsManager cmm = Cmm(backing: backing);
        ValueTask<EncryptionMaterials> pending = cmm.GetEncryptionMaterialsAsync(Input(1));
        _cache.Dispose();
        backing.Open.SetResult();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await pending);
    }

    // ------------------------------------------------------------------ the cache itself

    [Fact]
    public void Capacity_is_at_least_one_and_a_huge_capacity_allocates_nothing_up_front()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalCryptoMaterialsCache(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalCryptoMaterialsCache(-1));
        using var one = new LocalCryptoMaterialsCache(1);
        Assert.Equal(1, one.Capacity);

        long before = GC.GetAllocatedBytesForCurrentThread();
        using var huge = new LocalCryptoMaterialsCache(int.MaxValue);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 128 * 1024); // room for 1,024 entries
        Assert.Equal(int.MaxValue, huge.Capacity);
        Assert.Equal(0, huge.Count);
    }

    [Fact]
    public async Task A_cache_of_one_keeps_the_last_entry()
    {
        using var one = new LocalCryptoMaterialsCache(1, _clock);
        CachingCryptoMaterialsManager cmm = Cmm(cache: one);
        EncryptionMaterials a = await Released(cmm, 1, new() { ["c"] = "a" });
        EncryptionMaterials b = await Released(cmm, 1, new() { ["c"] = "b" });
        Assert.True(a.IsDataKeyReleased);
        Assert.False(b.IsDataKeyReleased);
        Assert.Equal(1, one.Count);
    }

    [Fact]
    public async Task Descriptions_name_counts_and_limits_never_keys()
    {
        CachingCryptoMaterialsManager cmm = Cmm(maxMessages: 7, maxBytes: 99);
        using EncryptionMaterials materials = await cmm.GetEncryptionMaterialsAsync(Input(1));
        Assert.Equal("LocalCryptoMaterialsCache(1/4)", _cache.ToString());
        Assert.Equal("CachingCryptoMaterialsManager(p, max age 00:05:00, 7 messages, 99 bytes)", cmm.ToString());
        byte[] key = new byte[32];
        materials.CopyPlaintextDataKey(key);
        Assert.DoesNotContain(Convert.ToHexString(key), cmm.ToString() + _cache, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(key), cmm.ToString() + _cache, StringComparison.Ordinal);
    }

    [Fact]
    public void Managers_without_a_partition_name_get_distinct_random_ones()
    {
        var options = new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1) };
        var one = new CachingCryptoMaterialsManager(_keyring, _cache, options);
        var two = new CachingCryptoMaterialsManager(_keyring, _cache, options);
        Assert.True(Guid.TryParse(one.PartitionName, out _));
        Assert.NotEqual(one.PartitionName, two.PartitionName);
    }

    [Fact]
    public async Task Arguments_are_checked()
    {
        var options = new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1) };
        Assert.Throws<ArgumentNullException>(() => new CachingCryptoMaterialsManager((ICryptoMaterialsManager)null!, _cache, options));
        Assert.Throws<ArgumentNullException>(() => new CachingCryptoMaterialsManager(_keyring, null!, options));
        Assert.Throws<ArgumentNullException>(() => new CachingCryptoMaterialsManager(_keyring, _cache, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingCryptoMaterialsManager(_keyring, _cache, options with { MaxAge = TimeSpan.FromTicks(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingCryptoMaterialsManager(_keyring, _cache, options with { MaxBytesEncrypted = long.MinValue }));
        _ = new CachingCryptoMaterialsManager(_keyring, _cache, options with { MaxAge = TimeSpan.FromTicks(1), MaxMessagesEncrypted = 1, MaxBytesEncrypted = 0 });
        _ = new CachingCryptoMaterialsManager(_keyring, _cache, options with { MaxMessagesEncrypted = CachingCryptoMaterialsManagerOptions.MaxMessagesLimit });
        Assert.Equal(1L << 32, CachingCryptoMaterialsManagerOptions.MaxMessagesLimit);
        Assert.Equal(CachingCryptoMaterialsManagerOptions.MaxMessagesLimit, options.MaxMessagesEncrypted);
        Assert.Equal(long.MaxValue, options.MaxBytesEncrypted);

        CachingCryptoMaterialsManager cmm = Cmm();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await cmm.GetEncryptionMaterialsAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await cmm.DecryptMaterialsAsync(null!));
    }

    /// <summary>A backing manager that asks for a given suite whatever the request says.</summary>
    private sealed class SuiteForcing(ICryptoMaterialsManager inner, AlgorithmSuite suite) : ICryptoMaterialsManager
    {
        public ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default) =>
            inner.GetEncryptionMaterialsAsync(input with { AlgorithmSuiteId = suite }, cancellationToken);

        public ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default) =>
            inner.DecryptMaterialsAsync(input, cancellationToken);
    }

    /// <summary>A backing manager that answers once <see cref="Open"/> is set.</summary>
    private sealed class Gate(ICryptoMaterialsManager inner) : ICryptoMaterialsManager
    {
        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default)
        {
            await Open.Task;
            return await inner.GetEncryptionMaterialsAsync(input, cancellationToken);
        }

        public async ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default)
        {
            await Open.Task;
            return await inner.DecryptMaterialsAsync(input, cancellationToken);
        }
    }
}
