using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>Decrypt request.</summary>
public sealed record DecryptRequest : IDryRunRequest
{
    /// <summary>A blob from Encrypt, GenerateDataKey or ReEncrypt (1-6144 bytes).</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>The encryption context the blob was made with.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
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
