using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GetPublicKey request.</summary>
public sealed record GetPublicKeyRequest : IKeyIdRequest
{
    /// <summary>An asymmetric key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
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

    /// <summary>Key agreement algorithms (KEY_AGREEMENT keys).</summary>
    public IReadOnlyList<KeyAgreementAlgorithmSpec> KeyAgreementAlgorithms { get; init; } = [];
}
