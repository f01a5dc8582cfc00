using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GenerateDataKeyPair request.</summary>
public sealed record GenerateDataKeyPairRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Bound to the encrypted private key.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>A symmetric ENCRYPT_DECRYPT key that encrypts the private key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key pair to make.</summary>
    public required DataKeyPairSpec KeyPairSpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
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
