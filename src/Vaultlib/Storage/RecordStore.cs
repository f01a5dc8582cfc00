using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>Receives one record's plaintext while it is loaded; the memory is zeroed when the callback returns, so copy what must outlive it.</summary>
internal delegate void RecordVisitor(string id, ReadOnlyMemory<byte> plaintext);

/// <summary>
/// The storage seam under every Vaultlib service: named collections of records, each sealed with
/// AES-256-GCM before it leaves this class. Subclasses only move sealed bytes (memory, files), so
/// nothing they hold is plaintext. See <c>docs/formats/record-store.md</c>.
/// </summary>
/// <remarks>
/// A sealed record binds its collection and id as associated data, so a record edited, truncated,
/// or moved to another id or collection fails to open with <see cref="VaultStoreFailure.Tampered"/>.
/// </remarks>
internal abstract class RecordStore : IDisposable
{
    private static ReadOnlySpan<byte> Magic => "VLR1"u8;

    private static ReadOnlySpan<byte> AadLabel => "vaultlib/record/v1\0"u8;

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int MaxIdBytes = 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly SecretBuffer _recordKey;
    private bool _disposed;

    private protected RecordStore(SecretBuffer recordKey)
    {
        _recordKey = recordKey;
    }

    /// <summary>Seals <paramref name="plaintext"/> and stores it under (collection, id), replacing any previous record atomically.</summary>
    public void Put(string collection, string id, ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateCollection(collection);
        byte[] sealedRecord = Seal(collection, id, plaintext);
        WriteCore(collection, id, sealedRecord);
    }

    /// <summary>Removes the record; no error when it does not exist.</summary>
    public void Delete(string collection, string id)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateCollection(collection);
        DeleteCore(collection, id);
    }

    /// <summary>
    /// Opens every record of <paramref name="collection"/> and hands each plaintext to
    /// <paramref name="visitor"/>. One record that fails to open fails the whole load: it may be a
    /// revocation or a deletion, and skipping it would silently change what the store says.
    /// </summary>
    public void Load(string collection, RecordVisitor visitor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ValidateCollection(collection);
        foreach ((string location, byte[] sealedRecord) in ReadAllCore(collection))
        {
            Open(collection, location, sealedRecord, visitor);
        }
    }

    private protected abstract void WriteCore(string collection, string id, byte[] sealedRecord);

    private protected abstract void DeleteCore(string collection, string id);

    /// <summary>Every stored record of a collection: where it lives (named in messages) and its sealed bytes.</summary>
    private protected abstract IEnumerable<(string Location, byte[] Sealed)> ReadAllCore(string collection);

    /// <summary>Whether a record with <paramref name="id"/> belongs at <paramref name="location"/>; a mismatch means the file was swapped or renamed.</summary>
    private protected abstract bool IsLocationOf(string location, string id);

    private byte[] Seal(string collection, string id, ReadOnlySpan<byte> plaintext)
    {
        int idLength = s_strictUtf8.GetByteCount(id);
        if (idLength is 0 or > MaxIdBytes)
        {
            throw new ArgumentException($"Record ids must be 1-{MaxIdBytes} UTF-8 bytes.", nameof(id));
        }

        int headerLength = Magic.Length + 2 + idLength;
        byte[] output = new byte[headerLength + NonceSize + plaintext.Length + TagSize];
        Span<byte> span = output;
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)idLength);
        s_strictUtf8.GetBytes(id, span.Slice(6, idLength));
        Span<byte> nonce = span.Slice(headerLength, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> ciphertext = span.Slice(headerLength + NonceSize, plaintext.Length);
        Span<byte> tag = span[^TagSize..];

        byte[] aad = BuildAad(collection, span[..headerLength]);
        using SecretLease key = _recordKey.Lease();
        using var gcm = new AesGcm(key.Span, TagSize);
        gcm.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        return output;
    }

    private void Open(string collection, string location, byte[] sealedRecord, RecordVisitor visitor)
    {
        ReadOnlySpan<byte> span = sealedRecord;
        if (span.Length < Magic.Length + 2 || !span[..Magic.Length].SequenceEqual(Magic))
        {
            throw Tampered(location, "it is not a Vaultlib record (bad magic or truncated)");
        }

        int idLength = BinaryPrimitives.ReadUInt16BigEndian(span[4..]);
        int headerLength = Magic.Length + 2 + idLength;
        if (idLength is 0 or > MaxIdBytes || span.Length < headerLength + NonceSize + TagSize)
        {
            throw Tampered(location, "its header is malformed or the file is truncated");
        }

        string id;
        try
        {
            id = s_strictUtf8.GetString(span.Slice(6, idLength));
        }
        catch (DecoderFallbackException)
        {
            throw Tampered(location, "its record id is not valid UTF-8");
        }

        if (!IsLocationOf(location, id))
        {
            throw Tampered(location, "it holds a different record than its file name says (swapped or renamed)");
        }

        int ciphertextLength = span.Length - headerLength - NonceSize - TagSize;
        byte[] plaintext = ArrayPool<byte>.Shared.Rent(Math.Max(ciphertextLength, 1));
        try
        {
            byte[] aad = BuildAad(collection, span[..headerLength]);
            using (SecretLease key = _recordKey.Lease())
            using (var gcm = new AesGcm(key.Span, TagSize))
            {
                gcm.Decrypt(
                    span.Slice(headerLength, NonceSize),
                    span.Slice(headerLength + NonceSize, ciphertextLength),
                    span[^TagSize..],
                    plaintext.AsSpan(0, ciphertextLength),
                    aad);
            }

            visitor(id, plaintext.AsMemory(0, ciphertextLength));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Tampered(location, "it failed authentication (edited, truncated, or moved from another collection)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext.AsSpan(0, ciphertextLength));
            ArrayPool<byte>.Shared.Return(plaintext);
        }
    }

    private static byte[] BuildAad(string collection, ReadOnlySpan<byte> header)
    {
        int collectionLength = Encoding.ASCII.GetByteCount(collection);
        byte[] aad = new byte[AadLabel.Length + collectionLength + 1 + header.Length];
        AadLabel.CopyTo(aad);
        Encoding.ASCII.GetBytes(collection, aad.AsSpan(AadLabel.Length));
        aad[AadLabel.Length + collectionLength] = 0;
        header.CopyTo(aad.AsSpan(AadLabel.Length + collectionLength + 1));
        return aad;
    }

    private static VaultStoreException Tampered(string location, string reason) =>
        new(VaultStoreFailure.Tampered, location, $"The store file '{location}' cannot be trusted: {reason}.");

    private static void ValidateCollection(string collection)
    {
        if (string.IsNullOrEmpty(collection) || collection.Length > 32 || !collection.All(c => c is >= 'a' and <= 'z' or '-'))
        {
            throw new ArgumentException("Collection names are 1-32 characters of a-z and '-'.", nameof(collection));
        }
    }

    /// <summary>Releases the record key (zeroing it) and whatever the subclass holds.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Dispose(disposing: true);
        _recordKey.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases subclass resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
