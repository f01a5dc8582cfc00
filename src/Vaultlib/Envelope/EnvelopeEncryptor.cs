using System.Buffers;
using System.Security.Cryptography;
using Vaultlib.Envelope.Format;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

// The client is split by API family: this file holds the one-shot API (arrays, buffer writers, header access, sync and async);
// EnvelopeEncryptor.Streaming.cs the streaming API; EnvelopeEncryptor.Shared.cs the steps both share; EnvelopeEncryptor.Message.cs the message's cryptography.

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

    /// <summary>Encrypts a plaintext into one message; the synchronous twin of <see cref="EncryptAsync(EncryptInput, CancellationToken)"/> (it blocks while the keyring calls KMS).</summary>
    /// <exception cref="ValidationException">A member is missing, out of range, or the context uses a reserved key.</exception>
    /// <exception cref="CommitmentPolicyException">The suite is not allowed by the commitment policy.</exception>
    public EncryptOutput Encrypt(EncryptInput input)
    {
        var writer = new ExactArrayWriter();
        return Encrypt(input, writer) with { Ciphertext = writer.Written };
    }

    /// <summary>
    /// Encrypts a plaintext into one message written to <paramref name="destination"/> (one
    /// <c>GetSpan</c> of the exact message size, then <c>Advance</c>), so a caller that reuses a
    /// buffer encrypts without allocating the message. <see cref="EncryptOutput.Ciphertext"/> is empty.
    /// </summary>
    public async ValueTask<EncryptOutput> EncryptAsync(EncryptInput input, IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        ICryptoMaterialsManager cmm = CheckEncrypt(input, destination);
        EncryptionMaterials materials = await cmm.GetEncryptionMaterialsAsync(
            EncryptionMaterialsRequest(input.EncryptionContext, input.AlgorithmSuiteId, input.FrameLength, input.Plaintext.Length), cancellationToken).ConfigureAwait(false);
        return EncryptWith(materials, input, destination);
    }

    /// <summary>The synchronous twin of <see cref="EncryptAsync(EncryptInput, IBufferWriter{byte}, CancellationToken)"/>.</summary>
    public EncryptOutput Encrypt(EncryptInput input, IBufferWriter<byte> destination)
    {
        ICryptoMaterialsManager cmm = CheckEncrypt(input, destination);
        EncryptionMaterials materials = Blocking.Wait(cmm.GetEncryptionMaterialsAsync(
            EncryptionMaterialsRequest(input.EncryptionContext, input.AlgorithmSuiteId, input.FrameLength, input.Plaintext.Length)));
        return EncryptWith(materials, input, destination);
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

    /// <summary>Decrypts one message; the synchronous twin of <see cref="DecryptAsync(DecryptInput, CancellationToken)"/> (it blocks while the keyring calls KMS).</summary>
    /// <exception cref="BadCiphertextException">The message is malformed, truncated, tampered, or followed by other bytes.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No keyring could decrypt a data key.</exception>
    /// <exception cref="CommitmentPolicyException">The policy does not allow the message's suite.</exception>
    /// <exception cref="MaxEncryptedDataKeysExceededException">The message has too many encrypted data keys.</exception>
    public DecryptOutput Decrypt(DecryptInput input)
    {
        var writer = new ExactArrayWriter();
        return Decrypt(input, writer) with { Plaintext = writer.Written };
    }

    /// <summary>
    /// Decrypts one message, writing the plaintext to <paramref name="destination"/> only once all
    /// of it is authenticated (on failure the span obtained is zeroed and nothing is advanced).
    /// <see cref="DecryptOutput.Plaintext"/> is empty.
    /// </summary>
    public async ValueTask<DecryptOutput> DecryptAsync(DecryptInput input, IBufferWriter<byte> destination, CancellationToken cancellationToken = default)
    {
        (ICryptoMaterialsManager cmm, MessageHeader header) = CheckDecrypt(input, destination);
        DecryptionMaterials materials = await cmm.DecryptMaterialsAsync(DecryptMaterialsRequest(header, input.EncryptionContext), cancellationToken).ConfigureAwait(false);
        return DecryptWith(CheckDecryptionMaterials(materials, header), header, input, destination);
    }

    /// <summary>The synchronous twin of <see cref="DecryptAsync(DecryptInput, IBufferWriter{byte}, CancellationToken)"/>.</summary>
    public DecryptOutput Decrypt(DecryptInput input, IBufferWriter<byte> destination)
    {
        (ICryptoMaterialsManager cmm, MessageHeader header) = CheckDecrypt(input, destination);
        DecryptionMaterials materials = Blocking.Wait(cmm.DecryptMaterialsAsync(DecryptMaterialsRequest(header, input.EncryptionContext)));
        return DecryptWith(CheckDecryptionMaterials(materials, header), header, input, destination);
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

    private static ICryptoMaterialsManager CheckEncrypt(EncryptInput input, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        return MaterialsManager(input.Keyring, input.MaterialsManager);
    }

    private EncryptOutput EncryptWith(EncryptionMaterials materials, EncryptInput input, IBufferWriter<byte> destination)
    {
        using (materials)
        {
            ValidateMaterials(materials, input.AlgorithmSuiteId);
            EncryptOneShot(materials, input.Plaintext.Span, input.FrameLength, destination, Random);
            return new EncryptOutput
            {
                Ciphertext = ReadOnlyMemory<byte>.Empty,
                EncryptionContext = materials.EncryptionContext,
                AlgorithmSuiteId = materials.Suite,
            };
        }
    }

    private (ICryptoMaterialsManager Cmm, MessageHeader Header) CheckDecrypt(DecryptInput input, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        ICryptoMaterialsManager cmm = MaterialsManager(input.Keyring, input.MaterialsManager);
        ReadOnlySpan<byte> message = input.Ciphertext.Span;
        if (!MessageHeader.TryParse(message, _options.MaxEncryptedDataKeys, out MessageHeader? header))
        {
            throw new BadCiphertextException($"The message is truncated: it ends ({message.Length} bytes) inside its header.");
        }

        return (cmm, header!);
    }

    private static DecryptOutput DecryptWith(DecryptionMaterials materials, MessageHeader header, DecryptInput input, IBufferWriter<byte> destination)
    {
        using (materials)
        {
            DecryptOneShot(header, materials, input.Ciphertext.Span, destination);
            return new DecryptOutput
            {
                Plaintext = ReadOnlyMemory<byte>.Empty,
                EncryptionContext = materials.EncryptionContext,
                AlgorithmSuiteId = header.Suite,
                Header = MessageHeaderInfo.From(header),
                DecryptedDataKey = materials.DecryptedDataKey,
            };
        }
    }

    /// <summary>Settings only.</summary>
    public override string ToString() => $"EnvelopeEncryptor({_options.CommitmentPolicy}, max EDKs {_options.MaxEncryptedDataKeys?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"})";
}
