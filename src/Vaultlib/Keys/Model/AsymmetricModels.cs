namespace Vaultlib.Keys;

/// <summary>Sign request.</summary>
public sealed record SignRequest
{
    /// <summary>A SIGN_VERIFY key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>The message (RAW, at most 4096 bytes) or its digest (DIGEST, the hash's length).</summary>
    public required ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>Default <see cref="Keys.MessageType.RAW"/>.</summary>
    public MessageType? MessageType { get; init; }

    /// <summary>One of the key's signing algorithms.</summary>
    public required SigningAlgorithmSpec SigningAlgorithm { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>Sign response.</summary>
public sealed record SignResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The signature: DER for ECDSA (as KMS returns it), raw for RSA and Ed25519.</summary>
    public required ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>The algorithm used.</summary>
    public required SigningAlgorithmSpec SigningAlgorithm { get; init; }
}

/// <summary>Verify request.</summary>
public sealed record VerifyRequest
{
    /// <summary>A SIGN_VERIFY key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>The message or digest that was signed.</summary>
    public required ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>Default <see cref="Keys.MessageType.RAW"/>.</summary>
    public MessageType? MessageType { get; init; }

    /// <summary>The signature to check.</summary>
    public required ReadOnlyMemory<byte> Signature { get; init; }

    /// <summary>The algorithm it was made with.</summary>
    public required SigningAlgorithmSpec SigningAlgorithm { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>Verify response. A signature that does not verify is <see cref="KMSInvalidSignatureException"/>, never false.</summary>
public sealed record VerifyResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always true in a response.</summary>
    public required bool SignatureValid { get; init; }

    /// <summary>The algorithm.</summary>
    public required SigningAlgorithmSpec SigningAlgorithm { get; init; }
}

/// <summary>GetPublicKey request.</summary>
public sealed record GetPublicKeyRequest
{
    /// <summary>An asymmetric key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }
}

/// <summary>GetPublicKey response.</summary>
public sealed record GetPublicKeyResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The public key, DER SubjectPublicKeyInfo.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>The key spec.</summary>
    public required KeySpec KeySpec { get; init; }

    /// <summary>The key usage.</summary>
    public required KeyUsageType KeyUsage { get; init; }

    /// <summary>Encryption algorithms (ENCRYPT_DECRYPT keys).</summary>
    public required IReadOnlyList<EncryptionAlgorithmSpec> EncryptionAlgorithms { get; init; }

    /// <summary>Signing algorithms (SIGN_VERIFY keys).</summary>
    public required IReadOnlyList<SigningAlgorithmSpec> SigningAlgorithms { get; init; }
}

/// <summary>GenerateMac request.</summary>
public sealed record GenerateMacRequest
{
    /// <summary>1-4096 bytes.</summary>
    public required ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>A GENERATE_VERIFY_MAC key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's MAC algorithm.</summary>
    public required MacAlgorithmSpec MacAlgorithm { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateMac response.</summary>
public sealed record GenerateMacResponse
{
    /// <summary>The MAC.</summary>
    public required ReadOnlyMemory<byte> Mac { get; init; }

    /// <summary>The algorithm.</summary>
    public required MacAlgorithmSpec MacAlgorithm { get; init; }

    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>VerifyMac request.</summary>
public sealed record VerifyMacRequest
{
    /// <summary>1-4096 bytes.</summary>
    public required ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>A GENERATE_VERIFY_MAC key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's MAC algorithm.</summary>
    public required MacAlgorithmSpec MacAlgorithm { get; init; }

    /// <summary>The MAC to check.</summary>
    public required ReadOnlyMemory<byte> Mac { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>VerifyMac response. A MAC that does not verify is <see cref="KMSInvalidMacException"/>.</summary>
public sealed record VerifyMacResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always true in a response.</summary>
    public required bool MacValid { get; init; }

    /// <summary>The algorithm.</summary>
    public required MacAlgorithmSpec MacAlgorithm { get; init; }
}

/// <summary>GenerateDataKeyPair request.</summary>
public sealed record GenerateDataKeyPairRequest
{
    /// <summary>Bound to the encrypted private key.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>A symmetric ENCRYPT_DECRYPT key that encrypts the private key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key pair to make.</summary>
    public required DataKeyPairSpec KeyPairSpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateDataKeyPair response. The caller owns <see cref="PrivateKeyPlaintext"/> and should zero it.</summary>
public sealed record GenerateDataKeyPairResponse
{
    /// <summary>The private key (PKCS #8 DER) encrypted under the KMS key; <c>Decrypt</c> opens it.</summary>
    public required ReadOnlyMemory<byte> PrivateKeyCiphertextBlob { get; init; }

    /// <summary>The private key, PKCS #8 DER.</summary>
    public required ReadOnlyMemory<byte> PrivateKeyPlaintext { get; init; }

    /// <summary>The public key, DER SubjectPublicKeyInfo.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>ARN of the KMS key that encrypted the private key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key pair spec.</summary>
    public required DataKeyPairSpec KeyPairSpec { get; init; }
}

/// <summary>GenerateDataKeyPairWithoutPlaintext request.</summary>
public sealed record GenerateDataKeyPairWithoutPlaintextRequest
{
    /// <summary>Bound to the encrypted private key.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>A symmetric ENCRYPT_DECRYPT key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key pair to make.</summary>
    public required DataKeyPairSpec KeyPairSpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateDataKeyPairWithoutPlaintext response.</summary>
public sealed record GenerateDataKeyPairWithoutPlaintextResponse
{
    /// <summary>The private key encrypted under the KMS key.</summary>
    public required ReadOnlyMemory<byte> PrivateKeyCiphertextBlob { get; init; }

    /// <summary>The public key, DER SubjectPublicKeyInfo.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>ARN of the KMS key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key pair spec.</summary>
    public required DataKeyPairSpec KeyPairSpec { get; init; }
}
