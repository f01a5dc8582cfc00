using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>EnableKeyRotation request.</summary>
public sealed record EnableKeyRotationRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of a symmetric customer managed key.</summary>
    public required string KeyId { get; init; }

    /// <summary>90-2560 days (default 365).</summary>
    public int? RotationPeriodInDays { get; init; }
}

/// <summary>EnableKeyRotation response (empty).</summary>
public sealed record EnableKeyRotationResponse;
