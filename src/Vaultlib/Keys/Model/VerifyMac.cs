using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>VerifyMac request.</summary>
public sealed record VerifyMacRequest : IKeyIdRequest, IDryRunRequest
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

    [Sensitive]
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
