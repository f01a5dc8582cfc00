using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>DisableKeyRotation request.</summary>
public sealed record DisableKeyRotationRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>DisableKeyRotation response (empty).</summary>
public sealed record DisableKeyRotationResponse;
