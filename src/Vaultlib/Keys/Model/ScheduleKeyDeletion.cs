using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ScheduleKeyDeletion request.</summary>
public sealed record ScheduleKeyDeletionRequest : IKeyIdRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Waiting period, 7-30 days (default 30).</summary>
    public int? PendingWindowInDays { get; init; }
}

/// <summary>ScheduleKeyDeletion response.</summary>
public sealed record ScheduleKeyDeletionResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>When the key will be deleted; null for a multi-Region primary key whose window starts when its last replica is deleted.</summary>
    public DateTimeOffset? DeletionDate { get; init; }

    /// <summary><see cref="KeyState.PendingDeletion"/>, or <see cref="KeyState.PendingReplicaDeletion"/> for a multi-Region primary key that still has replicas.</summary>
    public required KeyState KeyState { get; init; }

    /// <summary>The waiting period, in days.</summary>
    public required int PendingWindowInDays { get; init; }
}
