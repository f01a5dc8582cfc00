namespace Vaultlib.Envelope;

/// <summary>Settings of an <see cref="EnvelopeEncryptor"/> (the ESDK client's configuration).</summary>
public sealed record EnvelopeEncryptorOptions
{
    /// <summary>Which suites may encrypt and decrypt. Default <see cref="CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT"/>.</summary>
    public CommitmentPolicy CommitmentPolicy { get; set; } = CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT;

    /// <summary>The most encrypted data keys a message may carry (1 or more); null for no limit.</summary>
    public int? MaxEncryptedDataKeys { get; set; }

    /// <summary>Fills message ids (tests fix it to compare the synchronous and asynchronous APIs byte for byte).</summary>
    internal Action<Span<byte>>? RandomFill { get; set; }
}

/// <summary>One-shot encrypt input (the ESDK's <c>EncryptInput</c>). Give exactly one of <see cref="Keyring"/> and <see cref="MaterialsManager"/>.</summary>
public sealed record EncryptInput
{
    /// <summary>The plaintext; any length the output array can hold.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>The keyring, used through a <see cref="DefaultCryptoMaterialsManager"/>.</summary>
    public IKeyring? Keyring { get; init; }

    /// <summary>The materials manager (e.g. a <see cref="CachingCryptoMaterialsManager"/>).</summary>
    public ICryptoMaterialsManager? MaterialsManager { get; init; }

    /// <summary>Non-secret pairs stored in the header and authenticated; keys must not start with <c>aws-crypto-</c>.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>The suite; the commitment policy's default (0x0578) when null.</summary>
    public AlgorithmSuite? AlgorithmSuiteId { get; init; }

    /// <summary>Plaintext bytes per frame, 1 to 2^31-1. Default 4096.</summary>
    public int FrameLength { get; init; } = EnvelopeEncryptor.DefaultFrameLength;
}

/// <summary>One-shot encrypt output (the ESDK's <c>EncryptOutput</c>).</summary>
public sealed record EncryptOutput
{
    /// <summary>The AWS Encryption SDK message.</summary>
    public required ReadOnlyMemory<byte> Ciphertext { get; init; }

    /// <summary>The context stored in the message, with <c>aws-crypto-public-key</c> for signing suites.</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The suite used.</summary>
    public required AlgorithmSuite AlgorithmSuiteId { get; init; }
}

/// <summary>One-shot decrypt input (the ESDK's <c>DecryptInput</c>). Give exactly one of <see cref="Keyring"/> and <see cref="MaterialsManager"/>.</summary>
public sealed record DecryptInput
{
    /// <summary>The AWS Encryption SDK message.</summary>
    public required ReadOnlyMemory<byte> Ciphertext { get; init; }

    /// <summary>The keyring, used through a <see cref="DefaultCryptoMaterialsManager"/>.</summary>
    public IKeyring? Keyring { get; init; }

    /// <summary>The materials manager.</summary>
    public ICryptoMaterialsManager? MaterialsManager { get; init; }

    /// <summary>
    /// The context the caller expects: pairs in the message must have these values; pairs the
    /// message does not store are required context, authenticated by the header.
    /// </summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }
}

/// <summary>One-shot decrypt output (the ESDK's <c>DecryptOutput</c>). The plaintext is released only after the whole message is authenticated.</summary>
public sealed record DecryptOutput
{
    /// <summary>The plaintext; the caller should zero it when done.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>The message's encryption context (with any required pairs the caller supplied).</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The message's suite.</summary>
    public required AlgorithmSuite AlgorithmSuiteId { get; init; }

    /// <summary>The message's header: message id, frame length, encrypted data keys (authenticated, since the message decrypted).</summary>
    public MessageHeaderInfo? Header { get; init; }

    /// <summary>The encrypted data key that was decrypted, when the keyring said which (every keyring of this library does).</summary>
    public EncryptedDataKey? DecryptedDataKey { get; init; }
}

/// <summary>Streaming encrypt input. Give exactly one of <see cref="Keyring"/> and <see cref="MaterialsManager"/>.</summary>
public sealed record EncryptStreamInput
{
    /// <summary>The keyring.</summary>
    public IKeyring? Keyring { get; init; }

    /// <summary>The materials manager.</summary>
    public ICryptoMaterialsManager? MaterialsManager { get; init; }

    /// <summary>Non-secret pairs stored in the header and authenticated.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>The suite; the policy's default when null.</summary>
    public AlgorithmSuite? AlgorithmSuiteId { get; init; }

    /// <summary>Plaintext bytes per frame. Default 4096. Memory use is about twice this.</summary>
    public int FrameLength { get; init; } = EnvelopeEncryptor.DefaultFrameLength;

    /// <summary>
    /// The exact plaintext length when known (a seekable stream's remaining length is used when
    /// null). A caching materials manager needs it; encryption fails if the stream's length differs.
    /// </summary>
    public long? PlaintextLength { get; init; }
}

/// <summary>Streaming encrypt output.</summary>
public sealed record EncryptStreamOutput
{
    /// <summary>The context stored in the message.</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The suite used.</summary>
    public required AlgorithmSuite AlgorithmSuiteId { get; init; }

    /// <summary>Plaintext bytes read.</summary>
    public required long PlaintextLength { get; init; }
}

/// <summary>Streaming decrypt input.</summary>
public sealed record DecryptStreamInput
{
    /// <summary>The keyring.</summary>
    public IKeyring? Keyring { get; init; }

    /// <summary>The materials manager.</summary>
    public ICryptoMaterialsManager? MaterialsManager { get; init; }

    /// <summary>The context the caller expects (see <see cref="DecryptInput.EncryptionContext"/>).</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>How the plaintext of a signed message is released; by default each frame as it authenticates, the final one after the signature.</summary>
    public SignedMessagePolicy SignedMessagePolicy { get; init; } = SignedMessagePolicy.ReleaseVerifiedFrames;
}

/// <summary>How streaming decryption releases the plaintext of messages signed with ECDSA (the signing suites).</summary>
public enum SignedMessagePolicy
{
    /// <summary>
    /// Release each frame once its tag verifies, and the final frame only after the signature does: a truncated or
    /// forged signed message can release some authentic frames before it fails, which the caller must discard.
    /// </summary>
    ReleaseVerifiedFrames,

    /// <summary>Release none of a signed message's plaintext until its signature verifies (it is held in memory until then).</summary>
    HoldUntilSignatureVerified,

    /// <summary>
    /// Decrypt unsigned messages only: a signed message is refused from its header, before any data key is decrypted
    /// (the AWS Encryption SDKs' "decrypt unsigned" streaming mode), so every frame can be released as it authenticates.
    /// </summary>
    RejectSignedMessages,
}

/// <summary>Streaming decrypt output.</summary>
public sealed record DecryptStreamOutput
{
    /// <summary>The message's encryption context.</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The message's suite.</summary>
    public required AlgorithmSuite AlgorithmSuiteId { get; init; }

    /// <summary>Plaintext bytes written.</summary>
    public required long PlaintextLength { get; init; }

    /// <summary>The message's header: message id, frame length, encrypted data keys.</summary>
    public MessageHeaderInfo? Header { get; init; }

    /// <summary>The encrypted data key that was decrypted, when the keyring said which.</summary>
    public EncryptedDataKey? DecryptedDataKey { get; init; }
}
