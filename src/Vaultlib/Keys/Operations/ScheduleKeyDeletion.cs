using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>ScheduleKeyDeletion</c>: Schedules deletion after a 7-30 day window; the scheduler (or the next touch) purges the key when it ends.</summary>
internal sealed class ScheduleKeyDeletion() : KeyOperation<ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse>("ScheduleKeyDeletion", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static ScheduleKeyDeletion Instance { get; } = new();

    public override void Validate(ScheduleKeyDeletionRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Range(nameof(r.PendingWindowInDays), r.PendingWindowInDays, 7, 30);
    }

    public override async ValueTask<ScheduleKeyDeletionResponse> ExecuteAsync(KeyTable keys, ScheduleKeyDeletionRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireCustomerManaged(key, Operation);
        KeyRules.RequireNotPendingDeletion(key);
        int days = r.PendingWindowInDays ?? 30;
        DateTimeOffset deletionDate = keys.Now.AddDays(days);
        KeyRecord scheduled = await keys.MutateAsync(
            key.KeyId,
            k => k is { IsReplica: false, ReplicaRegions.IsEmpty: false }
                // As AWS: a primary key's window starts only when the last of its replicas has been deleted.
                ? k with { KeyState = KeyState.PendingReplicaDeletion, DeletionDate = null, PendingWindowInDays = days }
                : k with { KeyState = KeyState.PendingDeletion, DeletionDate = deletionDate, PendingWindowInDays = days },
            cancellationToken).ConfigureAwait(false);
        return new ScheduleKeyDeletionResponse { KeyId = key.Arn, DeletionDate = scheduled.DeletionDate, KeyState = scheduled.KeyState, PendingWindowInDays = days };
    }
}
