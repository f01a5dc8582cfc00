using System.Buffers;
using System.Security.Cryptography;
using Vaultlib.Envelope.Format;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

// The client is split by API family: this file holds the one-shot API (arrays, buffer writers, header access);
// EnvelopeEncryptor.Streaming.cs the streaming API; EnvelopeEncryptor.Shared.cs the steps both share.

/// <summary>
/// Encrypts and decrypts AWS Encryption SDK messages (format versions 1 and 2, every suite), so
/// that what Vaultlib encrypts decrypts with the AWS Encryption SDK in any language, and the other
/// way round. Framed messages are written; framed and non-framed messages are read.
/// Format: <c>docs/formats/esdk-message.md</c>. Thread-safe.
/// </summary>
/// <remarks>
/// The one-shot API never returns unauthenticated plaintext. The streaming API writes each frame's
/// plaintext only after that frame's tag is verified; for signing suites it also holds back the
/// final frame until the signature over the whole message verifies, so a truncated or forged
/// signed message can release at most the frames before the final one, each of them authentic.
/// </remarks>
public sealed partial class EnvelopeEncryptor
{
    /// <summary>The default frame length, 4096 bytes.</summary>
    public const int DefaultFrameLength = 4096;

    /// <summary>The reserved prefix of encryption context keys.</summary>
    public const string ReservedContextPrefix = "aws-crypto-";

    private static readonly IReadOnlyDictionary<string, string> s_empty = new Dictionary<string, string>();

    private readonly EnvelopeEncryptorOptions _options;

    /// <summary>Creates an encryptor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">MaxEncryptedDataKeys is less than 1.</exception>
    public EnvelopeEncryptor(EnvelopeEncryptorOptions? options = null)
    {
        _options = options ?? new EnvelopeEncryptorOptions();
        if (_options.MaxEncryptedDataKeys is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxEncryptedDataKeys, "MaxEncryptedDataKeys must be at least 1 when set.");
        }
    }

    /// <summary>The settings.</summary>
    public EnvelopeEncryptorOptions Options => _options;

    // ================================================================== one-shot

    /// <summary>Encrypts a plaintext into one message.</summary>
    /// <exception cref="ValidationException">A member is missing, out of range, or the context uses a reserved key.</exception>
    /// <exception cref="CommitmentPolicyException">The suite is not allowed by the commitment policy.</exception>
    public async ValueTask<EncryptOutput> EncryptAsync(EncryptInput input, CancellationToken cancellationToken = default)
    {
        var writer = new ExactArrayWriter();
        EncryptOutput output = await EncryptAsync(input, writer, cancellationToken).ConfigureAwait(false);
        return output with { Ciphertext = writer.Written };
    }

    /// <summary>
    /// Encrypts a plaintext into one message written to <paramref name="destination"/> (one
    /// <c>GetSpan</c> of the exact message size, then <c>Advance</c>), so a caller that reuses a
    /// buffer encrypts without allocating the message. <see cref="EncryptOutput.Ciphertext"/> is empty.
    /// </summary>
    public async ValueTask<EncryptOutput> EncryptAsync(EncryptInput input, IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        ICryptoMaterialsManager cmm = MaterialsManager(input.Keyring, input.MaterialsManager);
        IReadOnlyDictionary<string, string> context = ValidateEncrypt(input.EncryptionContext, input.AlgorithmSuiteId, input.FrameLength);
        EncryptionMaterials materials = await cmm.GetEncryptionMaterialsAsync(
            new GetEncryptionMaterialsInput
            {
                EncryptionContext = context,
                CommitmentPolicy = _options.CommitmentPolicy,
                AlgorithmSuiteId = input.AlgorithmSuiteId,
                MaxPlaintextLength = input.Plaintext.Length,
            },
            cancellationToken).ConfigureAwait(false);
        using (materials)
        {
            ValidateMaterials(materials, input.AlgorithmSuiteId);
            EncryptOneShot(materials, input.Plaintext.Span, input.FrameLength, destination);
            return new EncryptOutput
            {
                Ciphertext = ReadOnlyMemory<byte>.Empty,
                EncryptionContext = materials.EncryptionContext,
                AlgorithmSuiteId = materials.Suite,
            };
        }
    }

    /// <summary>Decrypts one message; returns the plaintext only once all of it is authenticated.</summary>
    /// <exception cref="BadCiphertextException">The message is malformed, truncated, tampered, or followed by other bytes.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No keyring could decrypt a data key.</exception>
    /// <exception cref="CommitmentPolicyException">The policy does not allow the message's suite.</exception>
    /// <exception cref="MaxEncryptedDataKeysExceededException">The message has too many encrypted data keys.</exception>
    public async ValueTask<DecryptOutput> DecryptAsync(DecryptInput input, CancellationToken cancellationToken = default)
    {
        var writer = new ExactArrayWriter();
        DecryptOutput output = await DecryptAsync(input, writer, cancellationToken).ConfigureAwait(false);
        return output with { Plaintext = writer.Written };
    }

    /// <summary>
    /// Decrypts one message, writing the plaintext to <paramref name="destination"/> only once all
    /// of it is authenticated (on failure the span obtained is zeroed and nothing is advanced).
    /// <see cref="DecryptOutput.Plaintext"/> is empty.
    /// </summary>
    public async ValueTask<DecryptOutput> DecryptAsync(DecryptInput input, IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        ICryptoMaterialsManager cmm = MaterialsManager(input.Keyring, input.MaterialsManager);
        ReadOnlyMemory<byte> message = input.Ciphertext;
        if (!MessageHeader.TryParse(message.Span, _options.MaxEncryptedDataKeys, out MessageHeader? header))
        {
            throw new BadCiphertextException($"The message is truncated: it ends ({message.Length} bytes) inside its header.");
        }

        using DecryptionMaterials materials = await DecryptMaterialsAsync(cmm, header!, input.EncryptionContext, cancellationToken).ConfigureAwait(false);
        DecryptOneShot(header!, materials, message.Span, destination);
        return new DecryptOutput
        {
            Plaintext = ReadOnlyMemory<byte>.Empty,
            EncryptionContext = materials.EncryptionContext,
            AlgorithmSuiteId = header!.Suite,
            Header = MessageHeaderInfo.From(header),
            DecryptedDataKey = materials.DecryptedDataKey,
        };
    }

    /// <summary>
    /// Reads a message's header without decrypting anything: suite, message id, encryption context, encrypted data
    /// keys and framing. The header is not authenticated until the message is decrypted.
    /// </summary>
    /// <param name="message">The message, or at least its header.</param>
    /// <param name="maxEncryptedDataKeys">The most encrypted data keys to accept (no limit when null).</param>
    /// <exception cref="BadCiphertextException">The header is malformed, or <paramref name="message"/> ends inside it.</exception>
    /// <exception cref="MaxEncryptedDataKeysExceededException">The header has more encrypted data keys than allowed.</exception>
    public static MessageHeaderInfo ParseHeader(ReadOnlySpan<byte> message, int? maxEncryptedDataKeys = null)
    {
        if (!MessageHeader.TryParse(message, maxEncryptedDataKeys, out MessageHeader? header))
        {
            throw new BadCiphertextException($"The message is truncated: it ends ({message.Length} bytes) inside its header.");
        }

        return MessageHeaderInfo.From(header!);
    }

    private static void EncryptOneShot(EncryptionMaterials materials, ReadOnlySpan<byte> plaintext, int frameLength, IBufferWriter<byte> destination)
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
        RandomNumberGenerator.Fill(messageId);
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

    /// <summary>Settings only.</summary>
    public override string ToString() => $"EnvelopeEncryptor({_options.CommitmentPolicy}, max EDKs {_options.MaxEncryptedDataKeys?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"})";
}
