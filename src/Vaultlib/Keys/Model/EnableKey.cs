using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>EnableKey request.</summary>
public sealed record EnableKeyRequest : IKeyIdRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>EnableKey response (empty).</summary>
public sealed record EnableKeyResponse;
