using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>Limits of a <see cref="CachingCryptoMaterialsManager"/>, as the AWS Encryption SDK defines them.</summary>
public sealed record CachingCryptoMaterialsManagerOptions
{
    /// <summary>The most messages one data key may encrypt: 2^32.</summary>
    public const long MaxMessagesLimit = 1L << 32;

    /// <summary>How long an entry may be used. Required; must be positive.</summary>
    public required TimeSpan MaxAge { get; init; }

    /// <summary>The most messages one cached data key encrypts, 1 to 2^32 (default 2^32).</summary>
    public long MaxMessagesEncrypted { get; init; } = MaxMessagesLimit;

    /// <summary>The most plaintext bytes one cached data key encrypts, 0 to 2^63-1 (default 2^63-1).</summary>
    public long MaxBytesEncrypted { get; init; } = long.MaxValue;

    /// <summary>Separates this manager's entries from other managers sharing the cache; a random id when null.</summary>
    public string? PartitionName { get; init; }

    internal void Validate()
    {
        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAge), MaxAge, "Max age must be positive.");
        }

        if (MaxMessagesEncrypted is < 1 or > MaxMessagesLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessagesEncrypted), MaxMessagesEncrypted, "Max messages encrypted must be between 1 and 2^32.");
        }

        if (MaxBytesEncrypted < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytesEncrypted), MaxBytesEncrypted, "Max bytes encrypted must not be negative.");
        }
    }
}

/// <summary>
/// Reuses materials across messages through a <see cref="LocalCryptoMaterialsCache"/>, within the
/// limits of <see cref="CachingCryptoMaterialsManagerOptions"/>, by the rules of the Java AWS
/// Encryption SDK: the cache is bypassed when the plaintext length is unknown, when one message
/// would reach the byte limit, or when the suite has no key derivation (it is not safe to reuse a
/// data key that encrypts directly); a lookup counts the message first, and an entry past its age,
/// message or byte limit is dropped and replaced. Entry ids are the ESDK's SHA-512 formula.
/// </summary>
public sealed class CachingCryptoMaterialsManager : ICryptoMaterialsManager
{
    private readonly ICryptoMaterialsManager _backing;
    private readonly LocalCryptoMaterialsCache _cache;
    private readonly CachingCryptoMaterialsManagerOptions _options;
    private readonly byte[] _partitionHash;

    [ThreadStatic]
    private static IdMemo? t_encryptMemo;

    [ThreadStatic]
    private static IdMemo? t_decryptMemo;

    /// <summary>Caches what <paramref name="backing"/> supplies.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public CachingCryptoMaterialsManager(ICryptoMaterialsManager backing, LocalCryptoMaterialsCache cache, CachingCryptoMaterialsManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(backing);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _backing = backing;
        _cache = cache;
        _options = options;
        PartitionName = options.PartitionName ?? Guid.NewGuid().ToString();
        _partitionHash = SHA512.HashData(Encoding.UTF8.GetBytes(PartitionName));
    }

    /// <summary>Caches what a <see cref="DefaultCryptoMaterialsManager"/> over <paramref name="keyring"/> supplies.</summary>
    public CachingCryptoMaterialsManager(IKeyring keyring, LocalCryptoMaterialsCache cache, CachingCryptoMaterialsManagerOptions options)
        : this(new DefaultCryptoMaterialsManager(keyring), cache, options)
    {
    }

    /// <summary>The partition name in the cache ids.</summary>
    public string PartitionName { get; }

    /// <inheritdoc/>
    public ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Materials with required context keys encode a different header; they are not cached (Vaultlib's choice).
        // No pattern variable behind ||: each check can be mutated and still compile (an unknown length is -1).
        long length = input.MaxPlaintextLength ?? -1;
        if (length < 0 || length >= _options.MaxBytesEncrypted
            || input.AlgorithmSuiteId is { IsSafeToCache: false } || input.RequiredEncryptionContextKeys is { Count: > 0 })
        {
            return _backing.GetEncryptionMaterialsAsync(input, cancellationToken);
        }

        CacheId id = EncryptCacheId(input);
        EncryptionMaterials? hit = _cache.GetForEncrypt(id, length, out EntryUsage usage);
        if (hit is not null)
        {
            if (_cache.Time.GetElapsedTime(usage.CreatedTimestamp) <= _options.MaxAge
                && usage.Messages <= _options.MaxMessagesEncrypted
                && usage.Bytes <= _options.MaxBytesEncrypted)
            {
                return ValueTask.FromResult(hit);
            }

            hit.Dispose();
            _cache.Remove(id);
        }

        return MissAsync(id, input, length, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        CacheId id = DecryptCacheId(input);
        DecryptionMaterials? hit = _cache.GetForDecrypt(id, out EntryUsage usage);
        if (hit is not null)
        {
            if (_cache.Time.GetElapsedTime(usage.CreatedTimestamp) <= _options.MaxAge)
            {
                return ValueTask.FromResult(hit);
            }

            hit.Dispose();
            _cache.Remove(id);
        }

        return DecryptMissAsync(id, input, cancellationToken);
    }

    private async ValueTask<EncryptionMaterials> MissAsync(CacheId id, GetEncryptionMaterialsInput input, long length, CancellationToken cancellationToken)
    {
        EncryptionMaterials materials = await _backing.GetEncryptionMaterialsAsync(input, cancellationToken).ConfigureAwait(false);
        if (!materials.Suite.IsSafeToCache)
        {
            return materials;
        }

        // The cache keeps the original; the caller gets its own handle. The store is the first use.
        EncryptionMaterials handle = materials.Share() ?? throw new ObjectDisposedException(nameof(EncryptionMaterials));
        _cache.Put(id, materials, _options.MaxAge, messages: 1, bytes: length);
        return handle;
    }

    private async ValueTask<DecryptionMaterials> DecryptMissAsync(CacheId id, DecryptMaterialsInput input, CancellationToken cancellationToken)
    {
        DecryptionMaterials materials = await _backing.DecryptMaterialsAsync(input, cancellationToken).ConfigureAwait(false);
        DecryptionMaterials handle = materials.Share() ?? throw new ObjectDisposedException(nameof(DecryptionMaterials));
        _cache.Put(id, materials, _options.MaxAge, messages: 0, bytes: 0);
        return handle;
    }

    /// <summary>
    /// SHA512(P ‖ 00 ‖ SHA512(EC)) or SHA512(P ‖ 01 ‖ suiteId ‖ SHA512(EC)) (ESDK cache-id formula,
    /// spec 0.3.0). The id is a function of the suite and the encoded context only, so the last one
    /// computed on this thread is reused when those bytes are equal, which saves two SHA-512s per
    /// message on the cache-hit path.
    /// </summary>
    internal CacheId EncryptCacheId(GetEncryptionMaterialsInput input)
    {
        int contextLength = ContextLength(input.EncryptionContext);
        byte[]? rented = null;
        // Stryker disable once all : performance only: the stack or a pooled array hold the same bytes
        Span<byte> key = 3 + contextLength <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(3 + contextLength));
        try
        {
            key = key[..(3 + contextLength)];
            key[0] = input.AlgorithmSuiteId is null ? (byte)0 : (byte)1;
            BinaryPrimitives.WriteUInt16BigEndian(key[1..], input.AlgorithmSuiteId?.Id ?? 0);
            EncryptionContextSerializer.SerializeTo(input.EncryptionContext, key[3..]);
            // Stryker disable once all : performance only: a fresh memo misses, and the id is computed again
            IdMemo memo = t_encryptMemo ??= new IdMemo();
            // Stryker disable once all : performance only: without the memo the same id is computed again
            if (memo.TryGet(this, key, out CacheId cached))
            {
                return cached;
            }

            Span<byte> buffer = stackalloc byte[64 + 1 + 2 + 64];
            _partitionHash.CopyTo(buffer);
            int o = 64;
            buffer[o++] = key[0];
            if (key[0] == 1)
            {
                key.Slice(1, 2).CopyTo(buffer[o..]);
                o += 2;
            }

            SHA512.HashData(key[3..], buffer.Slice(o, 64));
            Span<byte> id = stackalloc byte[64];
            SHA512.HashData(buffer[..(o + 64)], id);
            CacheId result = CacheId.From(id);
            // Stryker disable once all : performance only: without the memo the same id is computed again
            memo.Set(this, key, result);
            return result;
        }
        // Stryker disable all : returning a pooled array is not observable
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // Stryker restore all
    }

    /// <summary>
    /// SHA512(P ‖ suiteId ‖ sorted SHA512(EDK)… ‖ 00×64 ‖ SHA512(EC) [‖ SHA512(reproduced EC)]),
    /// memoized per thread by the exact encoding of its inputs like <see cref="EncryptCacheId"/>.
    /// </summary>
    internal CacheId DecryptCacheId(DecryptMaterialsInput input)
    {
        IReadOnlyList<EncryptedDataKey> edks = input.EncryptedDataKeys;
        int edkBytes = 0;
        foreach (EncryptedDataKey edk in edks)
        {
            edkBytes += 6 + Encoding.UTF8.GetByteCount(edk.KeyProviderId) + edk.KeyProviderInfo.Length + edk.Ciphertext.Length;
        }

        int contextLength = ContextLength(input.EncryptionContext);
        IReadOnlyDictionary<string, string>? reproduced = input.ReproducedEncryptionContext?.Count > 0 ? input.ReproducedEncryptionContext : null;
        // Stryker disable once all : the length of no context is 0 either way
        int reproducedLength = reproduced is null ? 0 : ContextLength(reproduced);

        // The memo key: suite, EDK count, the EDKs as the header encodes them, then each context with its length.
        int keyLength = 2 + 2 + edkBytes + 4 + contextLength + 4 + reproducedLength;
        byte[] rented = ArrayPool<byte>.Shared.Rent(keyLength);
        try
        {
            Span<byte> key = rented.AsSpan(0, keyLength);
            BinaryPrimitives.WriteUInt16BigEndian(key, input.AlgorithmSuiteId.Id);
            // Stryker disable once Statement : the memo key's other fields delimit themselves (each EDK and each encoded context carries its own lengths), so this field never tells two keys of one length apart
            BinaryPrimitives.WriteUInt16BigEndian(key[2..], (ushort)edks.Count);
            int o = 4;
            // Stryker disable once all : performance only: the stack or the heap hold the same offsets
            Span<int> edkOffsets = edks.Count <= 32 ? stackalloc int[edks.Count + 1] : new int[edks.Count + 1];
            for (int i = 0; i < edks.Count; i++)
            {
                edkOffsets[i] = o;
                o += WriteEncryptedDataKey(edks[i], key[o..]);
            }

            edkOffsets[edks.Count] = o;
            // Stryker disable once Statement : the memo key's other fields delimit themselves (each EDK and each encoded context carries its own lengths), so this field never tells two keys of one length apart
            BinaryPrimitives.WriteInt32BigEndian(key[o..], contextLength);
            EncryptionContextSerializer.SerializeTo(input.EncryptionContext, key.Slice(o + 4, contextLength));
            o += 4 + contextLength;
            // Stryker disable once Statement : the memo key's other fields delimit themselves (each EDK and each encoded context carries its own lengths), so this field never tells two keys of one length apart
            BinaryPrimitives.WriteInt32BigEndian(key[o..], reproducedLength);
            if (reproduced is not null)
            {
                EncryptionContextSerializer.SerializeTo(reproduced, key.Slice(o + 4, reproducedLength));
            }

            // Stryker disable once all : performance only: a fresh memo misses, and the id is computed again
            IdMemo memo = t_decryptMemo ??= new IdMemo();
            // Stryker disable once all : performance only: without the memo the same id is computed again
            if (memo.TryGet(this, key, out CacheId cached))
            {
                return cached;
            }

            int edkCount = edks.Count;
            // Stryker disable once all : the pool rounds up to a power of two, more than the 64 bytes the formula leaves spare
            byte[] material = ArrayPool<byte>.Shared.Rent(64 + 2 + (64 * edkCount) + 64 + 64 + 64);
            try
            {
                Span<byte> m = material;
                _partitionHash.CopyTo(m);
                BinaryPrimitives.WriteUInt16BigEndian(m[64..], input.AlgorithmSuiteId.Id);
                var hashes = new byte[edkCount][];
                for (int i = 0; i < edkCount; i++)
                {
                    hashes[i] = SHA512.HashData(key[edkOffsets[i]..edkOffsets[i + 1]]);
                }

                Array.Sort(hashes, static (a, b) => a.AsSpan().SequenceCompareTo(b));
                int p = 66;
                foreach (byte[] hash in hashes)
                {
                    hash.CopyTo(m[p..]);
                    p += 64;
                }

                m.Slice(p, 64).Clear();
                p += 64;
                SHA512.HashData(key.Slice(edkOffsets[edkCount] + 4, contextLength), m.Slice(p, 64));
                p += 64;
                if (reproduced is not null)
                {
                    // Vaultlib's extension: materials depend on the caller's required context too.
                    SHA512.HashData(key.Slice(o + 4, reproducedLength), m.Slice(p, 64));
                    p += 64;
                }

                Span<byte> id = stackalloc byte[64];
                SHA512.HashData(m[..p], id);
                CacheId result = CacheId.From(id);
                // Stryker disable once all : performance only: without the memo the same id is computed again
                memo.Set(this, key, result);
                return result;
            }
            // Stryker disable all : returning a pooled array is not observable
            finally
            {
                ArrayPool<byte>.Shared.Return(material);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        // Stryker restore all
    }

    private static int ContextLength(IReadOnlyDictionary<string, string> context)
    {
        int length = EncryptionContextSerializer.GetSerializedLength(context);
        // Stryker disable once all : an empty context (length 0) encodes without error either way
        if (length < 0)
        {
            EnvelopeContext.Serialize(context); // throws the precise ValidationException
        }

        return length;
    }

    /// <summary>Writes an EDK as the header encodes it (and as the cache-id formula hashes it).</summary>
    private static int WriteEncryptedDataKey(EncryptedDataKey edk, Span<byte> s)
    {
        int idLength = Encoding.UTF8.GetBytes(edk.KeyProviderId, s[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)idLength);
        int o = 2 + idLength;
        BinaryPrimitives.WriteUInt16BigEndian(s[o..], (ushort)edk.KeyProviderInfo.Length);
        edk.KeyProviderInfo.Span.CopyTo(s[(o + 2)..]);
        o += 2 + edk.KeyProviderInfo.Length;
        BinaryPrimitives.WriteUInt16BigEndian(s[o..], (ushort)edk.Ciphertext.Length);
        edk.Ciphertext.Span.CopyTo(s[(o + 2)..]);
        return o + 2 + edk.Ciphertext.Length;
    }

    /// <summary>The last cache id a manager computed on a thread, and the exact bytes it was computed from.</summary>
    private sealed class IdMemo
    {
        private byte[] _key = new byte[256];
        // Stryker disable once all : no memo key is one byte long, so -1 and +1 both mean "nothing kept"
        private int _length = -1;
        private CachingCryptoMaterialsManager? _owner;
        private CacheId _id;

        public bool TryGet(CachingCryptoMaterialsManager owner, ReadOnlySpan<byte> key, out CacheId id)
        {
            id = _id;
            return ReferenceEquals(_owner, owner) && _length == key.Length && key.SequenceEqual(_key.AsSpan(0, _length));
        }

        public void Set(CachingCryptoMaterialsManager owner, ReadOnlySpan<byte> key, CacheId id)
        {
            _owner = owner;
            // Stryker disable all : performance only: keeping a long key or not, and growing the buffer at equal
            // lengths or not, change how often the id is computed, not the id
            if (key.Length > 64 * 1024)
            {
                _length = -1; // not worth keeping
                return;
            }

            if (_key.Length < key.Length)
            {
                _key = new byte[key.Length];
            }

            // Stryker restore all
            key.CopyTo(_key);
            _length = key.Length;
            _id = id;
        }
    }

    /// <summary>Partition and limits only.</summary>
    public override string ToString() => $"CachingCryptoMaterialsManager({PartitionName}, max age {_options.MaxAge}, {_options.MaxMessagesEncrypted} messages, {_options.MaxBytesEncrypted} bytes)";
}
