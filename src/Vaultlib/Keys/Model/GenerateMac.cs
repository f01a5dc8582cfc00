using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GenerateMac request.</summary>
public sealed record GenerateMacRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>1-4096 bytes.</summary>
    public required ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>A GENERATE_VERIFY_MAC key, any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's MAC algorithm.</summary>
    public required MacAlgorithmSpec MacAlgorithm { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateMac response.</summary>
public sealed record GenerateMacResponse
{
    /// <summary>The MAC.</summary>
    public required ReadOnlyMemory<byte> Mac { get; init; }

    /// <summary>The algorithm.</summary>
    public required MacAlgorithmSpec MacAlgorithm { get; init; }

    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }
}
