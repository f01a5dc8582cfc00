using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>DisableKey request.</summary>
public sealed record DisableKeyRequest : IKeyIdRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>DisableKey response (empty).</summary>
public sealed record DisableKeyResponse;
