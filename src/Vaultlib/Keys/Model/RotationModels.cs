namespace Vaultlib.Keys;

/// <summary>EnableKeyRotation request.</summary>
public sealed record EnableKeyRotationRequest
{
    /// <summary>Key id or key ARN of a symmetric customer managed key.</summary>
    public required string KeyId { get; init; }

    /// <summary>90-2560 days (default 365).</summary>
    public int? RotationPeriodInDays { get; init; }
}

/// <summary>EnableKeyRotation response (empty).</summary>
public sealed record EnableKeyRotationResponse;

/// <summary>DisableKeyRotation request.</summary>
public sealed record DisableKeyRotationRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }
}

/// <summary>DisableKeyRotation response (empty).</summary>
public sealed record DisableKeyRotationResponse;

/// <summary>GetKeyRotationStatus request.</summary>
public sealed record GetKeyRotationStatusRequest
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

/// <summary>RotateKeyOnDemand request.</summary>
public sealed record RotateKeyOnDemandRequest
{
    /// <summary>Key id or key ARN of a symmetric customer managed key.</summary>
    public required string KeyId { get; init; }
}

/// <summary>RotateKeyOnDemand response.</summary>
public sealed record RotateKeyOnDemandResponse
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }
}

/// <summary>ListKeyRotations request.</summary>
public sealed record ListKeyRotationsRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Page size, 1-1000 (default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The <c>NextMarker</c> of the previous page.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListKeyRotations response, oldest rotation first.</summary>
public sealed record ListKeyRotationsResponse
{
    /// <summary>Rotations on this page.</summary>
    public required IReadOnlyList<RotationsListEntry> Rotations { get; init; }

    /// <summary>Pass as <c>Marker</c> for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}
