using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>The sealing of <see cref="ServiceRecords"/>: records and manifest parts under AES-256-GCM, and the bucket a record's digest is kept in.</summary>
internal sealed partial class ServiceRecords
{
    private static string BucketId(int bucket) => "b" + bucket.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The bucket of a record: the first byte of SHA-256 of <c>collection\0id</c> (UTF-8), modulo the bucket count; allocation-free for the usual short keys.</summary>
    internal static int BucketIndexOf(string collection, string id)
    {
        // Stryker disable once all : a sizing bound: the stack or a pooled array hold the same bytes
        int length = Encoding.UTF8.GetMaxByteCount(collection.Length + 1 + id.Length);
        // Stryker disable once all : a sizing bound: the stack or a pooled array hold the same bytes
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        // Stryker disable once all : a sizing bound: the stack or a pooled array hold the same bytes
        Span<byte> text = rented ?? stackalloc byte[512];
        try
        {
            int written = Encoding.UTF8.GetBytes(collection, text);
            text[written++] = 0;
            written += Encoding.UTF8.GetBytes(id, text[written..]);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(text[..written], hash);
            return hash[0] % BucketCount;
        }
        // Stryker disable all : returning a pooled array is not observable (a marker on the block itself, since Stryker removes a finally block whole)
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        // Stryker restore all
    }

    private static byte[] Digest(ReadOnlySpan<byte> sealedRecord) => SHA256.HashData(sealedRecord)[..DigestSize];

    internal static int GenerationOf(ReadOnlySpan<byte> sealedRecord) =>
        sealedRecord.Length >= HeaderSize ? BinaryPrimitives.ReadInt32BigEndian(sealedRecord[4..]) : 0;

    private byte[] Seal(RecordKey key, ReadOnlySpan<byte> plaintext)
    {
        (int generation, _) = _vault.CurrentMaster;
        byte[] output = new byte[HeaderSize + NonceSize + plaintext.Length + TagSize];
        Span<byte> span = output;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], generation);
        Span<byte> nonce = span.Slice(HeaderSize, NonceSize);
        Nonces.Fill(nonce);
        byte[] aad = Aad(key, generation);
        AesGcmPool ciphers = CiphersOf(generation, key.Collection == ManifestCollection) ?? throw new ObjectDisposedException(nameof(Vault));
        using (AesGcmPool.Lease gcm = ciphers.Rent())
        {
            gcm.Cipher.Encrypt(nonce, plaintext, span.Slice(HeaderSize + NonceSize, plaintext.Length), span[^TagSize..], aad);
        }


        return output;
    }

    private void Open(StoredRecord record, SealedRecordVisitor visitor)
    {
        ReadOnlySpan<byte> span = record.Data.Span;
        if (span.Length < HeaderSize + NonceSize + TagSize || !span[..4].SequenceEqual(Magic))
        {
            throw Tampered(record.Key, "is not a sealed Vaultlib record (bad magic, or truncated)");
        }

        int generation = GenerationOf(span);
        AesGcmPool ciphers = CiphersOf(generation, record.Key.Collection == ManifestCollection) ?? throw Tampered(record.Key, $"is sealed under root key generation {generation}, which this vault does not hold");
        int length = span.Length - HeaderSize - NonceSize - TagSize;
        byte[] plaintext = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            using (AesGcmPool.Lease gcm = ciphers.Rent())
            {
                gcm.Cipher.Decrypt(span.Slice(HeaderSize, NonceSize), span.Slice(HeaderSize + NonceSize, length), span[^TagSize..], plaintext.AsSpan(0, length), Aad(record.Key, generation));
            }

            visitor(record.Key, record.Version, plaintext.AsMemory(0, length));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Tampered(record.Key, "failed authentication: it was altered, truncated, or moved from another record");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext.AsSpan(0, length));
            // Stryker disable once Statement : returning a pooled array is not observable (its zeroing, above, is tested)
            ArrayPool<byte>.Shared.Return(plaintext);
        }
    }

    /// <summary>The ready ciphers of this service's records (or its manifest) under <paramref name="generation"/>: the key is HKDF-SHA256 of the master with <c>records/&lt;service&gt;</c> or <c>manifest/&lt;service&gt;</c>.</summary>
    private AesGcmPool? CiphersOf(int generation, bool manifest) =>
        _vault.RecordCipherOf(generation, manifest ? _manifestPurpose : _recordsPurpose);

    private static byte[] Aad(RecordKey key, int generation)
    {
        byte[] text = Encoding.UTF8.GetBytes($"vaultlib/record/v2\0{key.Service}\0{key.Collection}\0{key.Id}\0");
        byte[] aad = new byte[text.Length + 4];
        text.CopyTo(aad, 0);
        BinaryPrimitives.WriteInt32BigEndian(aad.AsSpan(text.Length), generation);
        return aad;
    }
}
