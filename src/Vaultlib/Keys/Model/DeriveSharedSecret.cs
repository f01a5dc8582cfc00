using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>DeriveSharedSecret request: ECDH between a KEY_AGREEMENT key's private key and another party's public key.</summary>
public sealed record DeriveSharedSecretRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN of a KEY_AGREEMENT key.</summary>
    public required string KeyId { get; init; }

    /// <summary>The algorithm: <see cref="KeyAgreementAlgorithmSpec.ECDH"/>.</summary>
    public required KeyAgreementAlgorithmSpec KeyAgreementAlgorithm { get; init; }

    /// <summary>The other party's public key, DER SubjectPublicKeyInfo, on the key's curve.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    [Sensitive]
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>DeriveSharedSecret response. The caller owns <see cref="SharedSecret"/> and should zero it when done.</summary>
public sealed record DeriveSharedSecretResponse
{
    /// <summary>The ARN of the key used.</summary>
    public required string KeyId { get; init; }

    /// <summary>The raw shared secret (the x-coordinate of the shared point), as AWS returns it.</summary>
    public required ReadOnlyMemory<byte> SharedSecret { get; init; }

    /// <summary>The algorithm used.</summary>
    public required KeyAgreementAlgorithmSpec KeyAgreementAlgorithm { get; init; }

    /// <summary>The origin of the key material.</summary>
    public required OriginType KeyOrigin { get; init; }
}
