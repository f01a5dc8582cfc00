namespace Vaultlib.Envelope;

/// <summary>A data key encrypted by one keyring, as stored in the message header (the ESDK's <c>EncryptedDataKey</c>).</summary>
public sealed record EncryptedDataKey
{
    /// <summary>Who can decrypt it: <c>aws-kms</c>, or a raw keyring's key namespace. At most 65535 UTF-8 bytes.</summary>
    public required string KeyProviderId { get; init; }

    /// <summary>Which key: a KMS key ARN, or a raw keyring's key name and parameters.</summary>
    public required ReadOnlyMemory<byte> KeyProviderInfo { get; init; }

    /// <summary>The encrypted data key.</summary>
    public required ReadOnlyMemory<byte> Ciphertext { get; init; }

    /// <summary>Provider id and sizes only.</summary>
    public override string ToString() => $"EncryptedDataKey({KeyProviderId}, info {KeyProviderInfo.Length} B, ciphertext {Ciphertext.Length} B)";
}
