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
        if (input.MaxPlaintextLength is not { } length || length < 0 || length >= _options.MaxBytesEncrypted
            || input.AlgorithmSuiteId is { IsSafeToCache: false })
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

    /// <summary>SHA512(P ‖ 00 ‖ SHA512(EC)) or SHA512(P ‖ 01 ‖ suiteId ‖ SHA512(EC)) (ESDK cache-id formula, spec 0.3.0).</summary>
    private CacheId EncryptCacheId(GetEncryptionMaterialsInput input)
    {
        Span<byte> buffer = stackalloc byte[64 + 1 + 2 + 64];
        _partitionHash.CopyTo(buffer);
        int o = 64;
        if (input.AlgorithmSuiteId is { } suite)
        {
            buffer[o++] = 1;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[o..], suite.Id);
            o += 2;
        }
        else
        {
            buffer[o++] = 0;
        }

        HashContext(input.EncryptionContext, buffer.Slice(o, 64));
        Span<byte> id = stackalloc byte[64];
        SHA512.HashData(buffer[..(o + 64)], id);
        return CacheId.From(id);
    }

    /// <summary>SHA512(P ‖ suiteId ‖ sorted SHA512(EDK)… ‖ 00×64 ‖ SHA512(EC) [‖ SHA512(reproduced EC)]).</summary>
    private CacheId DecryptCacheId(DecryptMaterialsInput input)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        hash.AppendData(_partitionHash);
        Span<byte> suiteId = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(suiteId, input.AlgorithmSuiteId.Id);
        hash.AppendData(suiteId);
        var edkHashes = new byte[input.EncryptedDataKeys.Count][];
        for (int i = 0; i < edkHashes.Length; i++)
        {
            edkHashes[i] = HashEncryptedDataKey(input.EncryptedDataKeys[i]);
        }

        Array.Sort(edkHashes, static (a, b) => a.AsSpan().SequenceCompareTo(b));
        foreach (byte[] edkHash in edkHashes)
        {
            hash.AppendData(edkHash);
        }

        Span<byte> digest = stackalloc byte[64];
        digest.Clear();
        hash.AppendData(digest);
        HashContext(input.EncryptionContext, digest);
        hash.AppendData(digest);
        if (input.ReproducedEncryptionContext is { Count: > 0 } reproduced)
        {
            // Vaultlib's extension: materials depend on the caller's required context too.
            HashContext(reproduced, digest);
            hash.AppendData(digest);
        }

        hash.GetHashAndReset(digest);
        return CacheId.From(digest);
    }

    private static void HashContext(IReadOnlyDictionary<string, string> context, Span<byte> destination)
    {
        int length = EncryptionContextSerializer.GetSerializedLength(context);
        if (length < 0)
        {
            EncryptionContextSerializer.Serialize(context); // throws the precise ValidationException
        }

        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> serialized = rented is null ? stackalloc byte[512] : rented;
        try
        {
            EncryptionContextSerializer.SerializeTo(context, serialized[..length]);
            SHA512.HashData(serialized[..length], destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static byte[] HashEncryptedDataKey(EncryptedDataKey edk)
    {
        int idLength = Encoding.UTF8.GetByteCount(edk.KeyProviderId);
        byte[] serialized = new byte[6 + idLength + edk.KeyProviderInfo.Length + edk.Ciphertext.Length];
        Span<byte> s = serialized;
        BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)idLength);
        Encoding.UTF8.GetBytes(edk.KeyProviderId, s[2..]);
        int o = 2 + idLength;
        BinaryPrimitives.WriteUInt16BigEndian(s[o..], (ushort)edk.KeyProviderInfo.Length);
        edk.KeyProviderInfo.Span.CopyTo(s[(o + 2)..]);
        o += 2 + edk.KeyProviderInfo.Length;
        BinaryPrimitives.WriteUInt16BigEndian(s[o..], (ushort)edk.Ciphertext.Length);
        edk.Ciphertext.Span.CopyTo(s[(o + 2)..]);
        return SHA512.HashData(serialized);
    }

    /// <summary>Partition and limits only.</summary>
    public override string ToString() => $"CachingCryptoMaterialsManager({PartitionName}, max age {_options.MaxAge}, {_options.MaxMessagesEncrypted} messages, {_options.MaxBytesEncrypted} bytes)";
}
