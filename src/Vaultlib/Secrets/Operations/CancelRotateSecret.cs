using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>CancelRotateSecret</c>: Turns automatic rotation off (the function and schedule are kept for a
/// later RotateSecret). A rotation in progress keeps its AWSPENDING version, whose id the response gives, as in AWS.
/// </summary>
internal sealed class CancelRotateSecret() : SecretOperation<CancelRotateSecretRequest, CancelRotateSecretResponse>("CancelRotateSecret", readOnly: false)
{
    public static CancelRotateSecret Instance { get; } = new();

    protected override string SecretIdOf(CancelRotateSecretRequest request) => request.SecretId;

    public override async ValueTask<CancelRotateSecretResponse> ExecuteAsync(SecretTable table, CancelRotateSecretRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        SecretRecord updated = (await ChangeAsync(table, resolved, current => new(current with { RotationEnabled = false, NextRotationDate = null, LastChangedDate = table.Now }), cancellationToken).ConfigureAwait(false))!;
        return new CancelRotateSecretResponse { ARN = updated.Arn, Name = updated.Name, VersionId = updated.PendingRotation?.VersionId };
    }
}
