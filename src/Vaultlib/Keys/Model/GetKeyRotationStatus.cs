using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GetKeyRotationStatus request.</summary>
public sealed record GetKeyRotationStatusRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>GetKeyRotationStatus response.</summary>
public sealed record GetKeyRotationStatusResponse
{
    /// <summary>Whether automatic rotation is on.</summary>
    public required bool KeyRotationEnabled { get; init; }

    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The rotation period, when rotation is on.</summary>
    public int? RotationPeriodInDays { get; init; }

    /// <summary>When the next automatic rotation is due, when rotation is on.</summary>
    public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>When the last on-demand rotation started, if any is in progress (never, here: rotation is immediate).</summary>
    public DateTimeOffset? OnDemandRotationStartDate { get; init; }
}
