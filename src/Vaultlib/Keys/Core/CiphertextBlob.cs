using Vaultlib.Internal;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vaultlib.Keys;

/// <summary>
/// The symmetric ciphertext blob, format version 1 (<c>docs/formats/kms-ciphertext.md</c>):
/// <code>
/// version (1) = 0x01 | keyIdLength (1) | keyId (ASCII) | materialVersion (UInt32 BE) | IV (12) | ciphertext | tag (16)
/// </code>
/// AES-256-GCM; the AAD is a label, the blob header (version through material version) and the
/// canonical encryption context, so the key, material version and context are all authenticated.
/// Every parse or authentication failure is the same <see cref="InvalidCiphertextException"/>.
/// </summary>
internal static class CiphertextBlob
{
    public const byte FormatVersion = 1;
    public const int IvSize = 12;
    public const int TagSize = 16;
    public const int MaxKeyIdLength = 64;

    /// <summary>The largest blob KMS accepts (CiphertextBlob is 1-6144 bytes).</summary>
    public const int MaxBlobLength = 6144;

    private static ReadOnlySpan<byte> AadLabel => "vaultlib/kms-ciphertext/v1\0"u8;

    public static int HeaderLength(string keyId) => 2 + keyId.Length + 4;

    public static int Overhead(string keyId) => HeaderLength(keyId) + IvSize + TagSize;

    /// <summary>Encrypts <paramref name="plaintext"/> under one material version of a key.</summary>
    public static byte[] Encrypt(string keyId, int materialVersion, AesGcm gcm, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        int headerLength = HeaderLength(keyId);
        byte[] blob = new byte[headerLength + IvSize + plaintext.Length + TagSize];
        Span<byte> span = blob;
        span[0] = FormatVersion;
        span[1] = (byte)keyId.Length;
        Encoding.ASCII.GetBytes(keyId, span.Slice(2, keyId.Length));
        BinaryPrimitives.WriteUInt32BigEndian(span[(2 + keyId.Length)..], (uint)materialVersion);
        Span<byte> iv = span.Slice(headerLength, IvSize);
        Nonces.Fill(iv);

        // Stryker disable once all : stack or heap hold the same AAD; the bound only keeps large contexts off the stack
        Span<byte> aad = AadLength(headerLength, context) <= 1024 ? stackalloc byte[AadLength(headerLength, context)] : new byte[AadLength(headerLength, context)];
        WriteAad(aad, span[..headerLength], context);
        gcm.Encrypt(iv, plaintext, span.Slice(headerLength + IvSize, plaintext.Length), span[^TagSize..], aad);
        return blob;
    }

    /// <summary>Reads the header; any malformation is <see cref="InvalidCiphertextException"/>.</summary>
    public static ParsedBlob Parse(ReadOnlyMemory<byte> blob)
    {
        ReadOnlySpan<byte> span = blob.Span;
        // Stryker disable once all : a 2-byte blob is refused by the length check below either way
        if (span.Length < 2 || span[0] != FormatVersion)
        {
            throw new InvalidCiphertextException();
        }

        int keyIdLength = span[1];
        int headerLength = 2 + keyIdLength + 4;
        if (keyIdLength is 0 or > MaxKeyIdLength || span.Length < headerLength + IvSize + TagSize || span.Length > MaxBlobLength)
        {
            throw new InvalidCiphertextException();
        }

        ReadOnlySpan<byte> keyIdBytes = span.Slice(2, keyIdLength);
        foreach (byte b in keyIdBytes)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (byte)'-' or (byte)'m' or (byte)'r' or (byte)'k'))
            {
                throw new InvalidCiphertextException();
            }
        }

        uint version = BinaryPrimitives.ReadUInt32BigEndian(span[(2 + keyIdLength)..]);
        if (version is 0 or > int.MaxValue)
        {
            throw new InvalidCiphertextException();
        }

        return new ParsedBlob(blob, Encoding.ASCII.GetString(keyIdBytes), (int)version, headerLength);
    }

    /// <summary>
    /// Decrypts into <paramref name="destination"/> (exactly <see cref="ParsedBlob.PlaintextLength"/> bytes);
    /// on failure clears it and throws <see cref="InvalidCiphertextException"/>.
    /// </summary>
    public static void Decrypt(in ParsedBlob parsed, AesGcm gcm, ReadOnlySpan<byte> context, Span<byte> destination)
    {
        ReadOnlySpan<byte> span = parsed.Blob.Span;
        int headerLength = parsed.HeaderLength;
        int aadLength = AadLength(headerLength, context);
        // Stryker disable once all : stack or heap hold the same AAD; the bound only keeps large contexts off the stack
        Span<byte> aad = aadLength <= 1024 ? stackalloc byte[aadLength] : new byte[aadLength];
        WriteAad(aad, span[..headerLength], context);
        try
        {
            gcm.Decrypt(span.Slice(headerLength, IvSize), span.Slice(headerLength + IvSize, parsed.PlaintextLength), span[^TagSize..], destination, aad);
        }
        catch (AuthenticationTagMismatchException)
        {
            // Stryker disable once all : defence in depth: .NET's AesGcm already clears the destination when the tag does not match
            CryptographicOperations.ZeroMemory(destination);
            throw new InvalidCiphertextException();
        }
    }

    private static int AadLength(int headerLength, ReadOnlySpan<byte> context) => AadLabel.Length + headerLength + context.Length;

    private static void WriteAad(Span<byte> aad, ReadOnlySpan<byte> header, ReadOnlySpan<byte> context)
    {
        AadLabel.CopyTo(aad);
        header.CopyTo(aad[AadLabel.Length..]);
        context.CopyTo(aad[(AadLabel.Length + header.Length)..]);
    }
}

/// <summary>A blob whose header parsed; not yet authenticated.</summary>
internal readonly record struct ParsedBlob(ReadOnlyMemory<byte> Blob, string KeyId, int MaterialVersion, int HeaderLength)
{
    public int PlaintextLength => Blob.Length - HeaderLength - CiphertextBlob.IvSize - CiphertextBlob.TagSize;
}
