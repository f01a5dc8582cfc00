using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>DeleteSecret</c>: Schedules the secret's purge after a recovery window (7-30 days, 30 by
/// default), when the scheduler removes it, or purges it at once with <c>ForceDeleteWithoutRecovery</c> (also for a
/// secret already scheduled). A second scheduling is <see cref="InvalidRequestException"/>.
/// </summary>
internal sealed class DeleteSecret() : SecretOperation<DeleteSecretRequest, DeleteSecretResponse>("DeleteSecret", readOnly: false, allowsDeleted: true)
{
    public static DeleteSecret Instance { get; } = new();

    protected override string SecretIdOf(DeleteSecretRequest request) => request.SecretId;

    public override void Validate(DeleteSecretRequest r)
    {
        base.Validate(r);
        if (r.RecoveryWindowInDays is { } days && r.ForceDeleteWithoutRecovery == true)
        {
            throw new InvalidParameterException("RecoveryWindowInDays", "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
        }

        if (r.RecoveryWindowInDays is < 7 or > 30)
        {
            throw new InvalidParameterException("RecoveryWindowInDays", "The recovery window must be 7-30 days.");
        }
    }

    public override async ValueTask<DeleteSecretResponse> ExecuteAsync(SecretTable table, DeleteSecretRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        if (resolved.Replicas.Count > 0)
        {
            throw new InvalidParameterException("SecretId", $"The secret {resolved.Name} has replicas in {string.Join(", ", resolved.Replicas.Select(x => x.Region))}; remove them (RemoveRegionsFromReplication) before deleting it.");
        }

        DateTimeOffset now = table.Now;
        bool force = r.ForceDeleteWithoutRecovery == true;
        SecretRecord? scheduled = await ChangeAsync(
            table,
            resolved,
            current => current.IsDeleted && !force
                ? throw new InvalidRequestException("You can't perform this operation on the secret because it was already scheduled for deletion.")
                : new(force ? null : current with { DeletedDate = now, PurgeDate = now.AddDays(r.RecoveryWindowInDays ?? 30) }),
            cancellationToken,
            allowDeleted: true).ConfigureAwait(false);
        return new DeleteSecretResponse { ARN = resolved.Arn, Name = resolved.Name, DeletionDate = scheduled?.PurgeDate ?? now };
    }
}
