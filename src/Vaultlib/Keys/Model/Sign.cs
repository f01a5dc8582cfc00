using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>Sign request.</summary>
public sealed record SignRequest : IKeyIdRequest, IDryRunRequest
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

    [Sensitive]
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
