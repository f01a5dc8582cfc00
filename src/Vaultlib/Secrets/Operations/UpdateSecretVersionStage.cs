using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>UpdateSecretVersionStage</c>: Moves a staging label to a version (naming the version that has
/// it, when one does) or removes it; moving AWSCURRENT gives its old version AWSPREVIOUS, and AWSCURRENT can only move,
/// never be removed.
/// </summary>
internal sealed class UpdateSecretVersionStage() : SecretOperation<UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse>("UpdateSecretVersionStage", readOnly: false)
{
    public static UpdateSecretVersionStage Instance { get; } = new();

    protected override string SecretIdOf(UpdateSecretVersionStageRequest request) => request.SecretId;

    public override void Validate(UpdateSecretVersionStageRequest r)
    {
        base.Validate(r);
        SecretNames.ValidateStage(r.VersionStage, "VersionStage");
        SecretNames.ValidateToken(r.RemoveFromVersionId, "RemoveFromVersionId");
        SecretNames.ValidateToken(r.MoveToVersionId, "MoveToVersionId");
        if (r.RemoveFromVersionId is null && r.MoveToVersionId is null)
        {
            throw new InvalidParameterException("MoveToVersionId", "Specify MoveToVersionId, RemoveFromVersionId, or both.");
        }
    }

    public override async ValueTask<UpdateSecretVersionStageResponse> ExecuteAsync(SecretTable table, UpdateSecretVersionStageRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        SecretRecord updated = (await ChangeAsync(table, resolved, current => new(Move(current, r, table.Now)), cancellationToken).ConfigureAwait(false))!;
        return new UpdateSecretVersionStageResponse { ARN = updated.Arn, Name = updated.Name };
    }

    /// <summary>The secret with the label moved or removed as the request asks, with AWS's refusals.</summary>
    public static SecretRecord Move(SecretRecord secret, UpdateSecretVersionStageRequest r, DateTimeOffset now)
    {
        string stage = r.VersionStage;
        SecretVersionRecord? holder = secret.WithStage(stage);
        foreach (string? id in new[] { r.RemoveFromVersionId, r.MoveToVersionId })
        {
            if (id is not null && secret.Version(id) is null)
            {
                throw new ResourceNotFoundException($"Secrets Manager can't find the specified secret version: {id}");
            }
        }

        if (r.RemoveFromVersionId is not null && holder?.VersionId != r.RemoveFromVersionId)
        {
            throw new InvalidParameterException("RemoveFromVersionId", $"The staging label {stage} is not attached to the version {r.RemoveFromVersionId}.");
        }

        List<SecretVersionRecord> versions;
        if (r.MoveToVersionId is null)
        {
            if (stage == SecretStages.Current)
            {
                throw new InvalidParameterException("VersionStage", "You can only move staging label AWSCURRENT to a different secret version. It can't be completely removed.");
            }

            versions = SecretStages.Detach(secret.Versions, r.RemoveFromVersionId!, stage);
        }
        else
        {
            if (holder is not null && holder.VersionId != r.MoveToVersionId && r.RemoveFromVersionId is null)
            {
                throw new InvalidParameterException("RemoveFromVersionId", $"The staging label {stage} is attached to the version {holder.VersionId}; name it in RemoveFromVersionId to move the label.");
            }

            versions = SecretStages.Attach(secret.Versions, r.MoveToVersionId, stage);
        }

        return secret with { Versions = SecretStages.Prune(versions, now), LastChangedDate = now };
    }
}
