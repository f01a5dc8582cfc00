using System.Buffers;
using System.Security.Cryptography;
using Vaultlib.Envelope.Format;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

// The message's cryptography: writing and opening the header, sealing and opening frames, and the one-shot bodies.
public sealed partial class EnvelopeEncryptor
{
    private static void EncryptOneShot(EncryptionMaterials materials, ReadOnlySpan<byte> plaintext, int frameLength, IBufferWriter<byte> destination, Action<Span<byte>> random)
    {
        AlgorithmSuite suite = materials.Suite;
        (long regularFrames, int finalLength) = BodyFormat.Plan(plaintext.Length, frameLength);
        int headerLength = HeaderLength(materials);
        long total = headerLength + (regularFrames * (BodyFormat.RegularFrameOverhead + (long)frameLength)) + BodyFormat.FinalFrameOverhead + finalLength
            + (suite.IsSigning ? 2 + MaxSignatureLength(suite) : 0);
        if (total > Array.MaxLength)
        {
            throw new ValidationException("Plaintext", $"The message would be {total} bytes, more than one array holds; use the streaming API.");
        }

        Span<byte> span = destination.GetSpan((int)total)[..(int)total];
        Span<byte> messageId = stackalloc byte[MessageHeader.MessageIdLength(suite.MessageFormatVersion)];
        random(messageId);
        using AesGcm gcm = WriteHeader(materials, frameLength, messageId, span[..headerLength]);
        int offset = SealFrames(gcm, span, headerLength, messageId, plaintext, frameLength, regularFrames, finalLength);
        if (suite.IsSigning)
        {
            offset += Sign(materials.SigningKey!, suite, span[..offset], span[offset..]);
        }

        destination.Advance(offset);
    }

    /// <summary>The length of the header (body and authentication) these materials make.</summary>
    internal static int HeaderLength(EncryptionMaterials materials)
    {
        IReadOnlyList<EncryptedDataKey> edks = materials.EncryptedDataKeys;
        Span<int> providerIdLengths = edks.Count <= 64 ? stackalloc int[edks.Count] : new int[edks.Count];
        for (int i = 0; i < edks.Count; i++)
        {
            providerIdLengths[i] = System.Text.Encoding.UTF8.GetByteCount(edks[i].KeyProviderId);
        }

        return MessageHeader.BodySize(materials.Suite, materials.SerializedEncryptionContext.Length, edks, providerIdLengths)
            + MessageHeader.AuthLength(materials.Suite.MessageFormatVersion);
    }

    /// <summary>
    /// Derives the message's keys, writes the header into <paramref name="destination"/> (exactly
    /// <see cref="HeaderLength"/> bytes) with its tag, and returns the cipher for the body. The
    /// derived keys never leave this method's stack.
    /// </summary>
    internal static AesGcm WriteHeader(EncryptionMaterials materials, int frameLength, ReadOnlySpan<byte> messageId, Span<byte> destination)
    {
        AlgorithmSuite suite = materials.Suite;
        Span<byte> contentKey = stackalloc byte[32];
        Span<byte> commitKey = stackalloc byte[32];
        try
        {
            using (SecretLease dataKey = materials.LeaseDataKey())
            {
                MessageCrypto.DeriveKeys(suite, dataKey.Span, messageId, contentKey, commitKey);
            }

            int bodyLength = destination.Length - MessageHeader.AuthLength(suite.MessageFormatVersion);
            MessageHeader.WriteBody(destination[..bodyLength], suite, messageId, materials.SerializedEncryptionContext, materials.EncryptedDataKeys, frameLength, commitKey);
            var gcm = new AesGcm(contentKey[..suite.DataKeyLength], MessageCrypto.TagLength);
            WriteHeaderAuth(gcm, destination, bodyLength, suite.MessageFormatVersion, materials.SerializedRequiredEncryptionContext());
            return gcm;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
            CryptographicOperations.ZeroMemory(commitKey);
        }
    }

    /// <summary>Writes the header's authentication: a tag over the header body and the required context the header does not store.</summary>
    private static int WriteHeaderAuth(AesGcm gcm, Span<byte> output, int bodyLength, byte version, ReadOnlySpan<byte> requiredContext)
    {
        Span<byte> zeroIv = stackalloc byte[MessageCrypto.IvLength];
        zeroIv.Clear();
        int offset = bodyLength;
        if (version == 1)
        {
            zeroIv.CopyTo(output[offset..]);
            offset += MessageCrypto.IvLength;
        }

        if (requiredContext.IsEmpty)
        {
            gcm.Encrypt(zeroIv, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, output.Slice(offset, MessageCrypto.TagLength), output[..bodyLength]);
        }
        else
        {
            byte[] aad = [.. output[..bodyLength], .. requiredContext];
            gcm.Encrypt(zeroIv, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, output.Slice(offset, MessageCrypto.TagLength), aad);
        }

        return offset + MessageCrypto.TagLength;
    }

    private static int SealFrames(AesGcm gcm, Span<byte> output, int offset, ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> plaintext, int frameLength, long regularFrames, int finalLength)
    {
        uint sequence = 1;
        int source = 0;
        for (long i = 0; i < regularFrames; i++, sequence++)
        {
            offset += MessageCrypto.SealRegularFrame(gcm, messageId, sequence, plaintext.Slice(source, frameLength), output[offset..]);
            source += frameLength;
        }

        return offset + MessageCrypto.SealFinalFrame(gcm, messageId, sequence, plaintext.Slice(source, finalLength), output[offset..]);
    }

    private static void DecryptOneShot(MessageHeader header, DecryptionMaterials materials, ReadOnlySpan<byte> message, IBufferWriter<byte> destination)
    {
        Span<byte> contentKey = stackalloc byte[32];
        try
        {
            using var gcm = OpenHeader(header, materials, message[..header.BodyLength], contentKey);

            // Walk the body once for its structure and length (no crypto), then decrypt.
            long plaintextLength = 0;
            int offset = header.TotalLength;
            uint sequence = 1;
            FrameLayout frame;
            do
            {
                if (!BodyFormat.TryReadFrame(message, offset, header, sequence++, out frame))
                {
                    throw new BadCiphertextException($"The message is truncated: it ends ({message.Length} bytes) inside frame {sequence - 1}.");
                }

                plaintextLength += frame.CiphertextLength;
                offset = frame.End;
            }
            while (frame.Kind == FrameKind.Regular);

            int bodyEnd = offset;
            int signatureOffset = 0, signatureLength = 0;
            if (header.Suite.IsSigning)
            {
                if (!BodyFormat.TryReadFooter(message, bodyEnd, out signatureOffset, out signatureLength))
                {
                    throw new BadCiphertextException("The message is truncated: its signature is missing or incomplete.");
                }

                offset = signatureOffset + signatureLength;
            }

            if (offset != message.Length)
            {
                throw new BadCiphertextException($"The message is followed by {message.Length - offset} more bytes.");
            }

            Span<byte> plaintext = destination.GetSpan(checked((int)plaintextLength))[..(int)plaintextLength];
            try
            {
                offset = header.TotalLength;
                sequence = 1;
                int written = 0;
                do
                {
                    BodyFormat.TryReadFrame(message, offset, header, sequence++, out frame);
                    OpenFrame(gcm, header, message, frame, plaintext.Slice(written, frame.CiphertextLength));
                    written += frame.CiphertextLength;
                    offset = frame.End;
                }
                while (frame.Kind == FrameKind.Regular);

                if (header.Suite.IsSigning && !Verify(materials.VerificationKey!, header.Suite, message[..bodyEnd], message.Slice(signatureOffset, signatureLength)))
                {
                    throw BadCiphertextException.AuthenticationFailed();
                }

                destination.Advance(plaintext.Length);
            }
            catch
            {
                CryptographicOperations.ZeroMemory(plaintext);
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }
    }

    /// <summary>Derives the content key, checks the key commitment and the header tag; returns the cipher for the body.</summary>
    private static AesGcm OpenHeader(MessageHeader header, DecryptionMaterials materials, ReadOnlySpan<byte> headerBody, Span<byte> contentKey)
    {
        AlgorithmSuite suite = header.Suite;
        Span<byte> commitKey = stackalloc byte[32];
        try
        {
            using (SecretLease dataKey = materials.LeaseDataKey())
            {
                MessageCrypto.DeriveKeys(suite, dataKey.Span, header.MessageId, contentKey, commitKey);
            }

            if (suite.IsCommitting && !CryptographicOperations.FixedTimeEquals(commitKey, header.SuiteData))
            {
                throw BadCiphertextException.AuthenticationFailed();
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(commitKey);
        }

        // The header tag covers the body and the required context the header does not carry.
        byte[] required = materials.SerializedRequiredEncryptionContext();
        byte[]? rented = null;
        Span<byte> aad = headerBody.Length + required.Length <= 2048
            ? stackalloc byte[headerBody.Length + required.Length]
            : (rented = ArrayPool<byte>.Shared.Rent(headerBody.Length + required.Length)).AsSpan(0, headerBody.Length + required.Length);
        headerBody.CopyTo(aad);
        required.CopyTo(aad[headerBody.Length..]);
        var gcm = new AesGcm(contentKey[..suite.DataKeyLength], MessageCrypto.TagLength);
        try
        {
            gcm.Decrypt(header.HeaderIv, ReadOnlySpan<byte>.Empty, header.AuthTag, Span<byte>.Empty, aad);
            return gcm;
        }
        catch (AuthenticationTagMismatchException)
        {
            gcm.Dispose();
            throw BadCiphertextException.AuthenticationFailed();
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void OpenFrame(AesGcm gcm, MessageHeader header, ReadOnlySpan<byte> source, in FrameLayout frame, Span<byte> destination)
    {
        Span<byte> aad = stackalloc byte[MessageCrypto.MaxBodyAadLength];
        MessageCrypto.BodyKind kind = frame.Kind switch
        {
            FrameKind.Regular => MessageCrypto.BodyKind.Frame,
            FrameKind.Final => MessageCrypto.BodyKind.FinalFrame,
            _ => MessageCrypto.BodyKind.SingleBlock,
        };
        int aadLength = MessageCrypto.WriteBodyAad(aad, header.MessageId, kind, frame.Sequence, (ulong)frame.CiphertextLength);
        try
        {
            gcm.Decrypt(
                source.Slice(frame.IvOffset, MessageCrypto.IvLength),
                source.Slice(frame.CiphertextOffset, frame.CiphertextLength),
                source.Slice(frame.TagOffset, MessageCrypto.TagLength),
                destination,
                aad[..aadLength]);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw BadCiphertextException.AuthenticationFailed();
        }
    }
}
