using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>GetSecretValue</c>: The value of the version named by <c>VersionId</c> or <c>VersionStage</c>
/// (AWSCURRENT by default), decrypted through KMS as the caller; a version with no value yet (AWSPENDING before its
/// rotation function puts one) is <see cref="ResourceNotFoundException"/>, as in AWS.
/// </summary>
internal sealed class GetSecretValue() : SecretOperation<GetSecretValueRequest, GetSecretValueResponse>("GetSecretValue", readOnly: true)
{
    public static GetSecretValue Instance { get; } = new();

    protected override string SecretIdOf(GetSecretValueRequest request) => request.SecretId;

    public override void Validate(GetSecretValueRequest r)
    {
        base.Validate(r);
        SecretNames.ValidateToken(r.VersionId, "VersionId");
        if (r.VersionStage is not null)
        {
            SecretNames.ValidateStage(r.VersionStage, "VersionStage");
        }
    }

    public override async ValueTask<GetSecretValueResponse> ExecuteAsync(SecretTable table, GetSecretValueRequest r, SecretRecord secret, RequestContext context, CancellationToken cancellationToken)
    {
        SecretVersionRecord version = Select(secret, r.VersionId, r.VersionStage);
        (string? text, ReadOnlyMemory<byte>? binary) = await SecretValues.ReadAsync(table, context, secret, version, cancellationToken).ConfigureAwait(false);
        await table.TouchAsync(secret, version, cancellationToken).ConfigureAwait(false);
        return new GetSecretValueResponse { ARN = secret.Arn, Name = secret.Name, VersionId = version.VersionId, SecretString = text, SecretBinary = binary, VersionStages = version.Stages, CreatedDate = version.CreatedDate };
    }

    /// <summary>The version a read names, with AWS's errors when there is none or it has no value.</summary>
    public static SecretVersionRecord Select(SecretRecord secret, string? versionId, string? versionStage)
    {
        SecretVersionRecord? version = versionId is not null
            ? secret.Version(versionId) ?? throw new ResourceNotFoundException($"Secrets Manager can't find the specified secret value for VersionId: {versionId}")
            : secret.WithStage(versionStage ?? SecretStages.Current);
        if (version is null || (versionStage is not null && !version.Has(versionStage)) || version.Ciphertext is null)
        {
            throw new ResourceNotFoundException($"Secrets Manager can't find the specified secret value for staging label: {versionStage ?? SecretStages.Current}");
        }

        return version;
    }
}
