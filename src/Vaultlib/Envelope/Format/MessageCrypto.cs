using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using BcPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Vaultlib.Envelope.Format;

/// <summary>
/// Key derivation, header authentication, frame sealing and opening, and the signature key encoding
/// of the AWS Encryption SDK message format. All on spans; derived keys live on the caller's stack.
/// </summary>
internal static class MessageCrypto
{
    public const int IvLength = 12;
    public const int TagLength = 16;
    public const uint FinalFrameMarker = 0xFFFFFFFF;

    private static ReadOnlySpan<byte> FrameString => "AWSKMSEncryptionClient Frame"u8;

    private static ReadOnlySpan<byte> FinalFrameString => "AWSKMSEncryptionClient Final Frame"u8;

    private static ReadOnlySpan<byte> SingleBlockString => "AWSKMSEncryptionClient Single Block"u8;

    private static ReadOnlySpan<byte> DeriveKeyLabel => "DERIVEKEY"u8;

    private static ReadOnlySpan<byte> CommitKeyLabel => "COMMITKEY"u8;

    /// <summary>The content strings of the body AAD.</summary>
    internal enum BodyKind
    {
        Frame,
        FinalFrame,
        SingleBlock,
    }

    /// <summary>
    /// Derives the content key (and, for committing suites, the commit key) from the data key:
    /// identity; HKDF(hash, salt none, info = suiteId ‖ messageId) for v1; for v2,
    /// PRK = HKDF-Extract(SHA-512, salt = messageId, ikm = dataKey), key = Expand(PRK, suiteId ‖ "DERIVEKEY"),
    /// commit = Expand(PRK, "COMMITKEY").
    /// </summary>
    public static void DeriveKeys(AlgorithmSuite suite, ReadOnlySpan<byte> dataKey, ReadOnlySpan<byte> messageId, Span<byte> contentKey, Span<byte> commitKey)
    {
        Span<byte> info = stackalloc byte[2 + 32];
        BinaryPrimitives.WriteUInt16BigEndian(info, suite.Id);
        if (suite.KdfHash is not { } hash)
        {
            dataKey.CopyTo(contentKey);
            return;
        }

        if (!suite.IsCommitting)
        {
            messageId.CopyTo(info[2..]);
            HKDF.DeriveKey(hash, dataKey, contentKey[..suite.DataKeyLength], salt: default, info[..(2 + messageId.Length)]);
            return;
        }

        Span<byte> prk = stackalloc byte[64];
        try
        {
            HKDF.Extract(HashAlgorithmName.SHA512, dataKey, messageId, prk);
            DeriveKeyLabel.CopyTo(info[2..]);
            HKDF.Expand(HashAlgorithmName.SHA512, prk, contentKey[..32], info[..(2 + DeriveKeyLabel.Length)]);
            HKDF.Expand(HashAlgorithmName.SHA512, prk, commitKey[..32], CommitKeyLabel);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    /// <summary>Writes the body AAD: messageId ‖ content string ‖ UInt32 seq ‖ UInt64 length. Returns its length.</summary>
    public static int WriteBodyAad(Span<byte> destination, ReadOnlySpan<byte> messageId, BodyKind kind, uint sequenceNumber, ulong length)
    {
        ReadOnlySpan<byte> label = kind switch
        {
            BodyKind.Frame => FrameString,
            BodyKind.FinalFrame => FinalFrameString,
            _ => SingleBlockString,
        };
        messageId.CopyTo(destination);
        label.CopyTo(destination[messageId.Length..]);
        int o = messageId.Length + label.Length;
        BinaryPrimitives.WriteUInt32BigEndian(destination[o..], sequenceNumber);
        BinaryPrimitives.WriteUInt64BigEndian(destination[(o + 4)..], length);
        return o + 12;
    }

    /// <summary>The largest body AAD: a 32-byte message id, the longest label and 12 bytes of numbers.</summary>
    public const int MaxBodyAadLength = 32 + 35 + 12;

    /// <summary>The frame IV an encryptor writes: eight zero bytes and the sequence number.</summary>
    public static void WriteFrameIv(Span<byte> iv, uint sequenceNumber)
    {
        iv[..8].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], sequenceNumber);
    }

    /// <summary>Seals a regular frame into <paramref name="output"/>; returns the bytes written.</summary>
    public static int SealRegularFrame(AesGcm gcm, ReadOnlySpan<byte> messageId, uint sequence, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        Span<byte> aad = stackalloc byte[MaxBodyAadLength];
        BinaryPrimitives.WriteUInt32BigEndian(output, sequence);
        Span<byte> iv = output.Slice(4, IvLength);
        WriteFrameIv(iv, sequence);
        int aadLength = WriteBodyAad(aad, messageId, BodyKind.Frame, sequence, (ulong)plaintext.Length);
        int ct = 4 + IvLength;
        gcm.Encrypt(iv, plaintext, output.Slice(ct, plaintext.Length), output.Slice(ct + plaintext.Length, TagLength), aad[..aadLength]);
        return ct + plaintext.Length + TagLength;
    }

    /// <summary>Seals the final frame into <paramref name="output"/>; returns the bytes written.</summary>
    public static int SealFinalFrame(AesGcm gcm, ReadOnlySpan<byte> messageId, uint sequence, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        Span<byte> aad = stackalloc byte[MaxBodyAadLength];
        BinaryPrimitives.WriteUInt32BigEndian(output, FinalFrameMarker);
        BinaryPrimitives.WriteUInt32BigEndian(output[4..], sequence);
        Span<byte> iv = output.Slice(8, IvLength);
        WriteFrameIv(iv, sequence);
        BinaryPrimitives.WriteUInt32BigEndian(output[(8 + IvLength)..], (uint)plaintext.Length);
        int aadLength = WriteBodyAad(aad, messageId, BodyKind.FinalFrame, sequence, (ulong)plaintext.Length);
        int ct = 8 + IvLength + 4;
        gcm.Encrypt(iv, plaintext, output.Slice(ct, plaintext.Length), output.Slice(ct + plaintext.Length, TagLength), aad[..aadLength]);
        return ct + plaintext.Length + TagLength;
    }

    /// <summary>
    /// The caller's <c>aws-crypto-public-key</c>: the SEC1 compressed point (0x02/0x03 ‖ X), base64.
    /// </summary>
    public static string EncodePublicKey(ECDsa key)
    {
        ECParameters parameters = key.ExportParameters(includePrivateParameters: false);
        byte[] x = parameters.Q.X!;
        byte[] y = parameters.Q.Y!;
        byte[] compressed = new byte[1 + x.Length];
        compressed[0] = (byte)((y[^1] & 1) == 0 ? 0x02 : 0x03);
        x.CopyTo(compressed, 1);
        return Convert.ToBase64String(compressed);
    }

    /// <summary>
    /// Decodes <c>aws-crypto-public-key</c> for <paramref name="suite"/>'s curve; .NET cannot
    /// import a compressed point, so BouncyCastle decompresses it (and checks it is on the curve).
    /// </summary>
    public static ECDsa DecodePublicKey(AlgorithmSuite suite, string encoded)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new BadCiphertextException("The message's aws-crypto-public-key is not base64.");
        }

        if (compressed.Length != suite.SignaturePublicKeyLength || compressed[0] is not (0x02 or 0x03))
        {
            throw new BadCiphertextException($"The message's aws-crypto-public-key is not a compressed {suite.SignaturePublicKeyLength}-byte point for {suite}.");
        }

        X9ECParameters curve = ECNamedCurveTable.GetByName(suite.SignatureHash == HashAlgorithmName.SHA256 ? "P-256" : "P-384");
        BcPoint point;
        try
        {
            point = curve.Curve.DecodePoint(compressed).Normalize();
        }
        catch (ArgumentException)
        {
            throw new BadCiphertextException("The message's aws-crypto-public-key is not a point on the curve.");
        }

        int size = compressed.Length - 1;
        var parameters = new ECParameters
        {
            Curve = suite.SignatureCurve!.Value,
            Q = new System.Security.Cryptography.ECPoint
            {
                X = point.AffineXCoord.GetEncoded().AsSpan()[^size..].ToArray(),
                Y = point.AffineYCoord.GetEncoded().AsSpan()[^size..].ToArray(),
            },
        };
        try
        {
            return ECDsa.Create(parameters);
        }
        catch (CryptographicException)
        {
            throw new BadCiphertextException("The message's aws-crypto-public-key is not a valid public key.");
        }
    }
}
