using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>RotateSecret</c>: Turns rotation on with the function and schedule given (or kept), and unless
/// <c>RotateImmediately</c> is false rotates now: AWSPENDING is attached to a new version with no value before the
/// function's first step, which must put it. Vaultlib runs the steps before answering (AWS starts them just after);
/// as in AWS, a step that fails does not fail the call: the rotation stays pending. With <c>RotateImmediately</c>
/// false only <c>testSecret</c> runs, and the rotation happens on schedule. A rotation already in progress is
/// <see cref="InvalidRequestException"/>, and is attempted again.
/// </summary>
internal sealed class RotateSecret() : SecretOperation<RotateSecretRequest, RotateSecretResponse>("RotateSecret", readOnly: false)
{
    public static RotateSecret Instance { get; } = new();

    protected override string SecretIdOf(RotateSecretRequest request) => request.SecretId;

    public override void Validate(RotateSecretRequest r)
    {
        base.Validate(r);
        SecretNames.ValidateToken(r.ClientRequestToken, "ClientRequestToken");
        Internal.Validate.Length("RotationLambdaARN", r.RotationLambdaARN, 0, 2048, required: false);
        if (r.RotationRules is { } rules)
        {
            RotationSchedule.Validate(rules);
        }
    }

    public override async ValueTask<RotateSecretResponse> ExecuteAsync(SecretTable table, RotateSecretRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        string functionArn = r.RotationLambdaARN ?? resolved.RotationLambdaARN
            ?? throw new InvalidRequestException("No Lambda rotation function ARN is associated with this secret.");
        table.FunctionFor(functionArn);
        if (resolved.PendingRotation is { } pending)
        {
            await table.RotateAsync(resolved, functionArn, pending.VersionId, testOnly: false, cancellationToken).ConfigureAwait(false);
            throw new InvalidRequestException("A previous rotation isn't complete. That rotation will be reattempted.");
        }

        if (r.ClientRequestToken is { } token && resolved.Version(token) is not null)
        {
            throw new ResourceExistsException($"A version with the ClientRequestToken {token} already exists.");
        }

        DateTimeOffset now = table.Now;
        bool immediately = r.RotateImmediately ?? true;
        SecretRecord configured = (await ChangeAsync(
            table,
            resolved,
            current =>
            {
                RotationRulesType? rules = r.RotationRules ?? current.RotationRules;
                DateTimeOffset? next = rules is null ? null : RotationSchedule.Next(rules, current.LastRotatedDate ?? now, now);
                return new(current with { RotationEnabled = true, RotationLambdaARN = functionArn, RotationRules = rules, NextRotationDate = next, LastChangedDate = now });
            },
            cancellationToken).ConfigureAwait(false))!;

        string versionId = r.ClientRequestToken ?? Guid.NewGuid().ToString();
        await table.RotateAsync(configured, functionArn, versionId, testOnly: !immediately, cancellationToken).ConfigureAwait(false);
        return new RotateSecretResponse { ARN = configured.Arn, Name = configured.Name, VersionId = immediately ? versionId : null };
    }
}
