using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GetKeyPolicy request.</summary>
public sealed record GetKeyPolicyRequest : IKeyIdRequest
{
    /// <summary>Any KeyId form.</summary>
    public required string KeyId { get; init; }

    /// <summary>Always <c>default</c>.</summary>
    public string? PolicyName { get; init; }
}

/// <summary>GetKeyPolicy response.</summary>
public sealed record GetKeyPolicyResponse
{
    /// <summary>The key policy.</summary>
    public required string Policy { get; init; }

    /// <summary><c>default</c>.</summary>
    public required string PolicyName { get; init; }
}
