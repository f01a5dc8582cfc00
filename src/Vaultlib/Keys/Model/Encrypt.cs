using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>Encrypt request: at most 4096 bytes under a key.</summary>
public sealed record EncryptRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>1-4096 bytes to encrypt.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>Non-secret key-value pairs bound to the ciphertext; Decrypt must pass the same ones.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
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
