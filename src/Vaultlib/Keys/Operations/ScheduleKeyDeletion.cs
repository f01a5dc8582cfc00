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
        await keys.MutateAsync(key.KeyId, k => k with { KeyState = KeyState.PendingDeletion, DeletionDate = deletionDate, PendingWindowInDays = days }, cancellationToken).ConfigureAwait(false);
        return new ScheduleKeyDeletionResponse { KeyId = key.Arn, DeletionDate = deletionDate, KeyState = KeyState.PendingDeletion, PendingWindowInDays = days };
    }
}
