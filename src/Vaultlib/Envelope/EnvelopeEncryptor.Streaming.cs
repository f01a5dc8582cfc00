using Vaultlib.Internal;

namespace Vaultlib.Envelope;

// The streaming API: messages of any length through streams, in bounded memory, synchronous and asynchronous. The
// work is done by EnvelopeEncryptingStream and EnvelopeDecryptingStream; the methods here copy through them.
public sealed partial class EnvelopeEncryptor
{
    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> frame by frame, in
    /// memory proportional to the frame length, for inputs larger than memory.
    /// </summary>
    /// <exception cref="ValidationException">The stream held other than the declared <see cref="EncryptStreamInput.PlaintextLength"/>.</exception>
    public async Task<EncryptStreamOutput> EncryptStreamAsync(Stream plaintext, Stream ciphertext, EncryptStreamInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        await using EnvelopeEncryptingStream encrypting = await CreateEncryptingStreamAsync(ciphertext, input with { PlaintextLength = DeclaredLength(plaintext, input) }, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        await plaintext.CopyToAsync(encrypting, CopyBufferSize(input.FrameLength), cancellationToken).ConfigureAwait(false);
        await encrypting.FlushFinalBlockAsync(cancellationToken).ConfigureAwait(false);
        return encrypting.ToOutput();
    }

    /// <summary>The synchronous twin of <see cref="EncryptStreamAsync"/> (it blocks while the keyring calls KMS).</summary>
    /// <exception cref="ValidationException">The stream held other than the declared <see cref="EncryptStreamInput.PlaintextLength"/>.</exception>
    public EncryptStreamOutput EncryptStream(Stream plaintext, Stream ciphertext, EncryptStreamInput input)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        using EnvelopeEncryptingStream encrypting = CreateEncryptingStream(ciphertext, input with { PlaintextLength = DeclaredLength(plaintext, input) }, leaveOpen: true);
        plaintext.CopyTo(encrypting, CopyBufferSize(input.FrameLength));
        encrypting.FlushFinalBlock();
        return encrypting.ToOutput();
    }

    /// <summary>
    /// Decrypts a message from <paramref name="ciphertext"/> into <paramref name="plaintext"/>,
    /// writing each frame only after it is authenticated (and, for signing suites, as
    /// <see cref="DecryptStreamInput.SignedMessagePolicy"/> says). On failure, what was written is authentic but
    /// incomplete, and the caller must discard it.
    /// </summary>
    public async Task<DecryptStreamOutput> DecryptStreamAsync(Stream ciphertext, Stream plaintext, DecryptStreamInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        await using EnvelopeDecryptingStream decrypting = CreateDecryptingStream(ciphertext, input, leaveOpen: true);
        await decrypting.CopyToAsync(plaintext, cancellationToken).ConfigureAwait(false);
        return decrypting.ToOutput();
    }

    /// <summary>The synchronous twin of <see cref="DecryptStreamAsync"/> (it blocks while the keyring calls KMS).</summary>
    public DecryptStreamOutput DecryptStream(Stream ciphertext, Stream plaintext, DecryptStreamInput input)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        using EnvelopeDecryptingStream decrypting = CreateDecryptingStream(ciphertext, input, leaveOpen: true);
        decrypting.CopyTo(plaintext);
        return decrypting.ToOutput();
    }

    /// <summary>
    /// A stream that encrypts what is written to it into one message on <paramref name="ciphertext"/>. The materials
    /// (and so the data key) are got now, blocking while the keyring calls KMS; see <see cref="CreateEncryptingStreamAsync"/>.
    /// </summary>
    /// <param name="ciphertext">Where the message goes.</param>
    /// <param name="input">Keyring or materials manager, context, suite, frame length and, if known, the plaintext length.</param>
    /// <param name="leaveOpen">Whether disposing the encrypting stream leaves <paramref name="ciphertext"/> open.</param>
    public EnvelopeEncryptingStream CreateEncryptingStream(Stream ciphertext, EncryptStreamInput input, bool leaveOpen = false)
    {
        (ICryptoMaterialsManager cmm, GetEncryptionMaterialsInput request) = PrepareStream(ciphertext, input);
        return OpenEncryptingStream(Blocking.Wait(cmm.GetEncryptionMaterialsAsync(request)), ciphertext, input, leaveOpen);
    }

    /// <summary>A stream that encrypts what is written to it into one message on <paramref name="ciphertext"/>.</summary>
    /// <param name="ciphertext">Where the message goes.</param>
    /// <param name="input">Keyring or materials manager, context, suite, frame length and, if known, the plaintext length.</param>
    /// <param name="leaveOpen">Whether disposing the encrypting stream leaves <paramref name="ciphertext"/> open.</param>
    /// <param name="cancellationToken">Cancels getting the materials.</param>
    public async ValueTask<EnvelopeEncryptingStream> CreateEncryptingStreamAsync(Stream ciphertext, EncryptStreamInput input, bool leaveOpen = false, CancellationToken cancellationToken = default)
    {
        (ICryptoMaterialsManager cmm, GetEncryptionMaterialsInput request) = PrepareStream(ciphertext, input);
        return OpenEncryptingStream(await cmm.GetEncryptionMaterialsAsync(request, cancellationToken).ConfigureAwait(false), ciphertext, input, leaveOpen);
    }

    /// <summary>
    /// A stream of the plaintext of the message read from <paramref name="ciphertext"/>; nothing is read until its
    /// first read (or <see cref="EnvelopeDecryptingStream.ReadHeader"/>).
    /// </summary>
    /// <param name="ciphertext">Where the message comes from.</param>
    /// <param name="input">Keyring or materials manager, the expected context, and the signed-message policy.</param>
    /// <param name="leaveOpen">Whether disposing the decrypting stream leaves <paramref name="ciphertext"/> open.</param>
    public EnvelopeDecryptingStream CreateDecryptingStream(Stream ciphertext, DecryptStreamInput input, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(input);
        if (!Enum.IsDefined(input.SignedMessagePolicy))
        {
            throw new ValidationException(nameof(input.SignedMessagePolicy), $"'{input.SignedMessagePolicy}' is not a signed-message policy.");
        }

        return new EnvelopeDecryptingStream(this, ciphertext, input, MaterialsManager(input.Keyring, input.MaterialsManager), leaveOpen);
    }

    private static long? DeclaredLength(Stream plaintext, EncryptStreamInput input) =>
        input.PlaintextLength ?? (plaintext.CanSeek ? plaintext.Length - plaintext.Position : null);

    private static int CopyBufferSize(int frameLength) => Math.Clamp(frameLength, 4096, 1 << 20);

    private (ICryptoMaterialsManager Cmm, GetEncryptionMaterialsInput Request) PrepareStream(Stream ciphertext, EncryptStreamInput input)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(input);
        ICryptoMaterialsManager cmm = MaterialsManager(input.Keyring, input.MaterialsManager);
        if (input.PlaintextLength is < 0)
        {
            throw new ValidationException(nameof(input.PlaintextLength), "PlaintextLength must not be negative.");
        }

        return (cmm, EncryptionMaterialsRequest(input.EncryptionContext, input.AlgorithmSuiteId, input.FrameLength, input.PlaintextLength));
    }

    private EnvelopeEncryptingStream OpenEncryptingStream(EncryptionMaterials materials, Stream ciphertext, EncryptStreamInput input, bool leaveOpen)
    {
        try
        {
            ValidateMaterials(materials, input.AlgorithmSuiteId);
            return new EnvelopeEncryptingStream(ciphertext, materials, input.FrameLength, input.PlaintextLength, leaveOpen, Random);
        }
        catch
        {
            materials.Dispose();
            throw;
        }
    }
}
