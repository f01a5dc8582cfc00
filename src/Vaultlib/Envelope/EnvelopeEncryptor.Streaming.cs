using Vaultlib.Envelope.Format;

namespace Vaultlib.Envelope;

// The streaming API: messages of any length through streams, in bounded memory.
public sealed partial class EnvelopeEncryptor
{
    // ================================================================== streaming

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> frame by frame, in
    /// memory proportional to the frame length, for inputs larger than memory.
    /// </summary>
    public async Task<EncryptStreamOutput> EncryptStreamAsync(Stream plaintext, Stream ciphertext, EncryptStreamInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(input);
        ICryptoMaterialsManager cmm = MaterialsManager(input.Keyring, input.MaterialsManager);
        IReadOnlyDictionary<string, string> context = ValidateEncrypt(input.EncryptionContext, input.AlgorithmSuiteId, input.FrameLength);
        long? declared = input.PlaintextLength ?? (plaintext.CanSeek ? plaintext.Length - plaintext.Position : null);
        if (declared is < 0)
        {
            throw new ValidationException(nameof(input.PlaintextLength), "PlaintextLength must not be negative.");
        }

        using EncryptionMaterials materials = await cmm.GetEncryptionMaterialsAsync(
            new GetEncryptionMaterialsInput { EncryptionContext = context, CommitmentPolicy = _options.CommitmentPolicy, AlgorithmSuiteId = input.AlgorithmSuiteId, MaxPlaintextLength = declared },
            cancellationToken).ConfigureAwait(false);
        ValidateMaterials(materials, input.AlgorithmSuiteId);
        using var writer = new StreamingEncryptor(materials, input.FrameLength);
        long total = await writer.RunAsync(plaintext, ciphertext, cancellationToken).ConfigureAwait(false);
        if (declared is { } expected && expected != total)
        {
            throw new ValidationException(nameof(input.PlaintextLength), $"The stream held {total} bytes, not the {expected} declared; the message is incomplete and must be discarded.");
        }

        return new EncryptStreamOutput { EncryptionContext = materials.EncryptionContext, AlgorithmSuiteId = materials.Suite, PlaintextLength = total };
    }

    /// <summary>
    /// Decrypts a message from <paramref name="ciphertext"/> into <paramref name="plaintext"/>,
    /// writing each frame only after it is authenticated (and, for signing suites, the final frame
    /// only after the signature verifies). On failure, what was written is authentic but incomplete,
    /// and the caller must discard it.
    /// </summary>
    public async Task<DecryptStreamOutput> DecryptStreamAsync(Stream ciphertext, Stream plaintext, DecryptStreamInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(input);
        ICryptoMaterialsManager cmm = MaterialsManager(input.Keyring, input.MaterialsManager);
        var reader = new StreamBuffer(ciphertext);
        MessageHeader? header;
        while (!MessageHeader.TryParse(reader.Available, _options.MaxEncryptedDataKeys, out header))
        {
            if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new BadCiphertextException($"The message is truncated: the stream ends ({reader.Available.Length} bytes) inside its header.");
            }
        }

        using DecryptionMaterials materials = await DecryptMaterialsAsync(cmm, header!, input.EncryptionContext, cancellationToken).ConfigureAwait(false);
        long written = await StreamingDecryptor.RunAsync(header!, materials, reader, plaintext, cancellationToken).ConfigureAwait(false);
        return new DecryptStreamOutput
        {
            EncryptionContext = materials.EncryptionContext,
            AlgorithmSuiteId = header!.Suite,
            PlaintextLength = written,
            Header = MessageHeaderInfo.From(header),
            DecryptedDataKey = materials.DecryptedDataKey,
        };
    }
}
