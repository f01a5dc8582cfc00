using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ReEncrypt request: decrypt under one key and context, encrypt under another, without exposing the plaintext.</summary>
public sealed record ReEncryptRequest : IDryRunRequest
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

    [Sensitive]
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
