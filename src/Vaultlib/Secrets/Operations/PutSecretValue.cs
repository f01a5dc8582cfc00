using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>PutSecretValue</c>: A new version with the value, labelled AWSCURRENT unless the request names
/// other labels; each label moves to it from any other version, and the version that loses AWSCURRENT gets AWSPREVIOUS.
/// The same <c>ClientRequestToken</c> with the same value changes nothing; with another value it is
/// <see cref="ResourceExistsException"/>.
/// </summary>
internal sealed class PutSecretValue() : SecretOperation<PutSecretValueRequest, PutSecretValueResponse>("PutSecretValue", readOnly: false)
{
    public static PutSecretValue Instance { get; } = new();

    protected override string SecretIdOf(PutSecretValueRequest request) => request.SecretId;

    public override void Validate(PutSecretValueRequest r)
    {
        base.Validate(r);
        SecretNames.ValidateToken(r.ClientRequestToken, "ClientRequestToken");
        SecretValues.Validate(r.SecretString, r.SecretBinary, required: true);
        if (r.VersionStages is { } stages)
        {
            if (stages.Count is < 1 or > SecretStages.MaxStagesPerVersion)
            {
                throw new ValidationException("VersionStages", $"VersionStages must have 1-{SecretStages.MaxStagesPerVersion} labels.");
            }

            foreach (string stage in stages)
            {
                SecretNames.ValidateStage(stage, "VersionStages");
            }
        }
    }

    public override async ValueTask<PutSecretValueResponse> ExecuteAsync(SecretTable table, PutSecretValueRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        SecretVersionRecord? put = null;
        SecretRecord updated = (await ChangeAsync(
            table,
            resolved,
            async current =>
            {
                (SecretVersionRecord version, bool existing) = await SecretValues.NewVersionAsync(table, context, current, r.ClientRequestToken, r.SecretString, r.SecretBinary, cancellationToken).ConfigureAwait(false);
                if (existing)
                {
                    put = version;
                    return current;
                }

                SecretRecord added = AddVersion(current, version, r.VersionStages ?? [SecretStages.Current], table.Now);
                put = added.Version(version.VersionId);
                return added;
            },
            cancellationToken).ConfigureAwait(false))!;
        return new PutSecretValueResponse { ARN = updated.Arn, Name = updated.Name, VersionId = put!.VersionId, VersionStages = put.Stages };
    }

    /// <summary>The secret with a new version carrying <paramref name="stages"/> (each moved from wherever it was), pruned as AWS prunes.</summary>
    public static SecretRecord AddVersion(SecretRecord secret, SecretVersionRecord version, IReadOnlyCollection<string> stages, DateTimeOffset now)
    {
        List<SecretVersionRecord> versions = secret.Version(version.VersionId) is null
            ? [.. secret.Versions, version]
            : [.. secret.Versions.Select(v => v.VersionId == version.VersionId ? version : v)];
        foreach (string stage in stages.Distinct(StringComparer.Ordinal))
        {
            versions = SecretStages.Attach(versions, version.VersionId, stage);
        }

        // A new AWSCURRENT put by hand counts as a rotation for a schedule of AutomaticallyAfterDays, as AWS counts it.
        bool counts = secret.RotationEnabled && secret.RotationRules?.AutomaticallyAfterDays is not null && stages.Contains(SecretStages.Current, StringComparer.Ordinal);
        return secret with
        {
            Versions = SecretStages.Prune(versions, now),
            LastChangedDate = now,
            NextRotationDate = counts ? RotationSchedule.Next(secret.RotationRules!, now, now) : secret.NextRotationDate,
        };
    }
}
