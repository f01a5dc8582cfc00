namespace Vaultlib.Envelope;

/// <summary>
/// What an AWS Encryption SDK message's header says, read without decrypting anything (the Java SDK's
/// <c>ParsedCiphertext</c>, the JavaScript SDK's <c>messageHeader</c>): its suite, message id, encryption context,
/// encrypted data keys and framing. Nothing here is authenticated until the message is decrypted: use it to route or
/// inspect a message, not to trust it.
/// </summary>
public sealed record MessageHeaderInfo
{
    /// <summary>The message format version (1 or 2).</summary>
    public required int Version { get; init; }

    /// <summary>The message's algorithm suite.</summary>
    public required AlgorithmSuite AlgorithmSuiteId { get; init; }

    /// <summary>The message id (16 bytes in version 1, 32 in version 2).</summary>
    public required ReadOnlyMemory<byte> MessageId { get; init; }

    /// <summary>The encryption context stored in the header (with <c>aws-crypto-public-key</c> for signing suites).</summary>
    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    /// <summary>The encrypted data keys, in the header's order.</summary>
    public required IReadOnlyList<EncryptedDataKey> EncryptedDataKeys { get; init; }

    /// <summary>Whether the body is framed (every message this library writes is).</summary>
    public required bool Framed { get; init; }

    /// <summary>Plaintext bytes per frame; 0 for a non-framed body.</summary>
    public required int FrameLength { get; init; }

    /// <summary>The header's length in bytes, its authentication included: where the body starts.</summary>
    public required int HeaderLength { get; init; }

    internal static MessageHeaderInfo From(Format.MessageHeader header) => new()
    {
        Version = header.Version,
        AlgorithmSuiteId = header.Suite,
        MessageId = header.MessageId,
        EncryptionContext = header.EncryptionContext,
        EncryptedDataKeys = header.EncryptedDataKeys,
        Framed = header.ContentType == Format.ContentType.Framed,
        FrameLength = header.FrameLength,
        HeaderLength = header.TotalLength,
    };
}
