using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>Verify request.</summary>
public sealed record VerifyRequest : IKeyIdRequest, IDryRunRequest
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

    [Sensitive]
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
