using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>DescribeSecret</c>: The secret's details and its labelled versions, never a value; works on a secret scheduled for deletion.</summary>
internal sealed class DescribeSecret() : SecretOperation<DescribeSecretRequest, DescribeSecretResponse>("DescribeSecret", readOnly: true, allowsDeleted: true)
{
    public static DescribeSecret Instance { get; } = new();

    protected override string SecretIdOf(DescribeSecretRequest request) => request.SecretId;

    protected override DescribeSecretResponse Execute(SecretTable table, DescribeSecretRequest r, SecretRecord s, RequestContext context) => new()
    {
        ARN = s.Arn,
        Name = s.Name,
        Description = s.Description,
        KmsKeyId = s.KmsKeyId,
        RotationEnabled = s.RotationEnabled,
        RotationLambdaARN = s.RotationLambdaARN,
        RotationRules = s.RotationRules,
        LastRotatedDate = s.LastRotatedDate,
        NextRotationDate = s.NextRotationDate,
        LastChangedDate = s.LastChangedDate,
        LastAccessedDate = s.LastAccessedDate,
        DeletedDate = s.DeletedDate,
        Tags = s.Tags.Count == 0 ? null : s.Tags,
        VersionIdsToStages = StagesOf(s),
        CreatedDate = s.CreatedDate,
        PrimaryRegion = s.PrimaryRegion,
        ReplicationStatus = s.Replicas.Count == 0 ? null : s.Replicas,
    };

    /// <summary>Each version that has a label, with its labels.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> StagesOf(SecretRecord secret) =>
        secret.Versions.Where(v => v.Stages.Count > 0).ToDictionary(v => v.VersionId, v => v.Stages, StringComparer.Ordinal);
}
