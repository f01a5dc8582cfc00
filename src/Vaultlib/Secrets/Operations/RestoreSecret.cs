using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>RestoreSecret</c>: Cancels a scheduled deletion; on a secret not scheduled for deletion it changes nothing.</summary>
internal sealed class RestoreSecret() : SecretOperation<RestoreSecretRequest, RestoreSecretResponse>("RestoreSecret", readOnly: false, allowsDeleted: true)
{
    public static RestoreSecret Instance { get; } = new();

    protected override string SecretIdOf(RestoreSecretRequest request) => request.SecretId;

    public override async ValueTask<RestoreSecretResponse> ExecuteAsync(SecretTable table, RestoreSecretRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        await ChangeAsync(table, resolved, current => new(current.IsDeleted ? current with { DeletedDate = null, PurgeDate = null } : current), cancellationToken, allowDeleted: true).ConfigureAwait(false);
        return new RestoreSecretResponse { ARN = resolved.Arn, Name = resolved.Name };
    }
}
