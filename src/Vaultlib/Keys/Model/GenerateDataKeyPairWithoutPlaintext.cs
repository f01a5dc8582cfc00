using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GenerateDataKeyPairWithoutPlaintext request.</summary>
public sealed record GenerateDataKeyPairWithoutPlaintextRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Bound to the encrypted private key.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>A symmetric ENCRYPT_DECRYPT key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key pair to make.</summary>
    public required DataKeyPairSpec KeyPairSpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
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
