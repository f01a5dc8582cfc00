namespace Vaultlib.Keys;

/// <summary>Encrypt request: at most 4096 bytes under a key.</summary>
public sealed record EncryptRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>1-4096 bytes to encrypt.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>Non-secret key-value pairs bound to the ciphertext; Decrypt must pass the same ones.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Default <see cref="EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT"/>.</summary>
    public EncryptionAlgorithmSpec? EncryptionAlgorithm { get; init; }

    /// <summary>Check the request and permissions only; throws <see cref="DryRunOperationException"/> when it would succeed.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>Encrypt response.</summary>
public sealed record EncryptResponse
{
    /// <summary>The ciphertext blob (format: <c>docs/formats/kms-ciphertext.md</c>).</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>The ARN of the key that encrypted.</summary>
    public required string KeyId { get; init; }

    /// <summary>The algorithm used.</summary>
    public required EncryptionAlgorithmSpec EncryptionAlgorithm { get; init; }
}

/// <summary>Decrypt request.</summary>
public sealed record DecryptRequest
{
    /// <summary>A blob from Encrypt, GenerateDataKey or ReEncrypt (1-6144 bytes).</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>The encryption context the blob was made with.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Optional: the blob names its key. When given and different, <see cref="IncorrectKeyException"/>.</summary>
    public string? KeyId { get; init; }

    /// <summary>Default <see cref="EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT"/>.</summary>
    public EncryptionAlgorithmSpec? EncryptionAlgorithm { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>Decrypt response. The caller owns <see cref="Plaintext"/> and should zero it when done.</summary>
public sealed record DecryptResponse
{
    /// <summary>The ARN of the key that decrypted.</summary>
    public required string KeyId { get; init; }

    /// <summary>The decrypted bytes.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>The algorithm used.</summary>
    public required EncryptionAlgorithmSpec EncryptionAlgorithm { get; init; }
}

/// <summary>ReEncrypt request: decrypt under one key and context, encrypt under another, without exposing the plaintext.</summary>
public sealed record ReEncryptRequest
{
    /// <summary>The blob to re-encrypt.</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>The blob's encryption context.</summary>
    public IReadOnlyDictionary<string, string>? SourceEncryptionContext { get; init; }

    /// <summary>Optional: the key that made the blob.</summary>
    public string? SourceKeyId { get; init; }

    /// <summary>The key to encrypt under.</summary>
    public required string DestinationKeyId { get; init; }

    /// <summary>The new encryption context.</summary>
    public IReadOnlyDictionary<string, string>? DestinationEncryptionContext { get; init; }

    /// <summary>Default <see cref="EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT"/>.</summary>
    public EncryptionAlgorithmSpec? SourceEncryptionAlgorithm { get; init; }

    /// <summary>Default <see cref="EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT"/>.</summary>
    public EncryptionAlgorithmSpec? DestinationEncryptionAlgorithm { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>ReEncrypt response.</summary>
public sealed record ReEncryptResponse
{
    /// <summary>The new blob.</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>ARN of the key that made the original blob.</summary>
    public required string SourceKeyId { get; init; }

    /// <summary>ARN of the key that made the new blob.</summary>
    public required string KeyId { get; init; }

    /// <summary>The source algorithm.</summary>
    public required EncryptionAlgorithmSpec SourceEncryptionAlgorithm { get; init; }

    /// <summary>The destination algorithm.</summary>
    public required EncryptionAlgorithmSpec DestinationEncryptionAlgorithm { get; init; }
}

/// <summary>GenerateDataKey request: exactly one of <see cref="KeySpec"/> and <see cref="NumberOfBytes"/>.</summary>
public sealed record GenerateDataKeyRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN of a symmetric key.</summary>
    public required string KeyId { get; init; }

    /// <summary>Bound to the encrypted copy.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>1-1024 bytes.</summary>
    public int? NumberOfBytes { get; init; }

    /// <summary>AES_128 (16 bytes) or AES_256 (32 bytes).</summary>
    public DataKeySpec? KeySpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateDataKey response. The caller owns <see cref="Plaintext"/> and should zero it when done.</summary>
public sealed record GenerateDataKeyResponse
{
    /// <summary>The data key encrypted under the KMS key; keep it beside the data.</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>The data key; use it, then zero it.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>ARN of the key that encrypted the data key.</summary>
    public required string KeyId { get; init; }
}

/// <summary>GenerateDataKeyWithoutPlaintext request.</summary>
public sealed record GenerateDataKeyWithoutPlaintextRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN of a symmetric key.</summary>
    public required string KeyId { get; init; }

    /// <summary>Bound to the encrypted copy.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>1-1024 bytes.</summary>
    public int? NumberOfBytes { get; init; }

    /// <summary>AES_128 or AES_256.</summary>
    public DataKeySpec? KeySpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateDataKeyWithoutPlaintext response.</summary>
public sealed record GenerateDataKeyWithoutPlaintextResponse
{
    /// <summary>The data key encrypted under the KMS key.</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>ARN of the key that encrypted the data key.</summary>
    public required string KeyId { get; init; }
}

/// <summary>GenerateRandom request.</summary>
public sealed record GenerateRandomRequest
{
    /// <summary>1-1024 bytes.</summary>
    public required int NumberOfBytes { get; init; }
}

/// <summary>GenerateRandom response.</summary>
public sealed record GenerateRandomResponse
{
    /// <summary>Random bytes from the system CSPRNG.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }
}
