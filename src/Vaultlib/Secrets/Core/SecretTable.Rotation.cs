using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>
/// Rotation, as Secrets Manager runs it: a new version labelled AWSPENDING, with no value, is attached first; then
/// the rotation function registered under the secret's <c>RotationLambdaARN</c> runs <c>createSecret</c>,
/// <c>setSecret</c>, <c>testSecret</c> and <c>finishSecret</c>, calling back into this store as the account root.
/// A step that throws ends the attempt and leaves the secret as AWS leaves it (AWSPENDING on the new version, the
/// rotation pending), recorded as a <c>RotationFailed</c> service event without the exception's message; the next
/// RotateSecret, or the next scheduled time, attempts it again with the same token. Steps run outside the write gate,
/// so the function's own calls go through the pipeline like any caller's.
/// </summary>
internal sealed partial class SecretTable
{
    private static readonly string[] s_allSteps = ["createSecret", "setSecret", "testSecret", "finishSecret"];
    private static readonly string[] s_testStep = ["testSecret"];

    /// <summary>The rotation functions secrets name.</summary>
    public SecretRotationFunctions RotationFunctions { get; }

    /// <summary>The store over this table, which rotation functions call (set by the store when it is made).</summary>
    public SecretStore? Store { get; set; }

    /// <summary>The function registered under <paramref name="functionArn"/>, refused as AWS refuses a function it cannot invoke.</summary>
    public ISecretRotationFunction FunctionFor(string functionArn) =>
        RotationFunctions.Find(functionArn)
            ?? throw new AccessDeniedException($"Secrets Manager cannot invoke the specified Lambda function {functionArn}. Register an ISecretRotationFunction under that ARN.");

    /// <summary>
    /// Rotates <paramref name="secret"/> with the function registered under <paramref name="functionArn"/> and the version <paramref name="versionId"/> (attached as AWSPENDING, with no
    /// value, unless it is the pending one already), or with <paramref name="testOnly"/> runs only <c>testSecret</c>
    /// and removes the version again. Returns whether every step succeeded.
    /// </summary>
    public async ValueTask<bool> RotateAsync(SecretRecord secret, string functionArn, string versionId, bool testOnly, CancellationToken cancellationToken)
    {
        ISecretRotationFunction function = FunctionFor(functionArn);
        await ChangeAsync(secret.Name, current => current is null || current.Version(versionId) is { } existing && existing.Has(SecretStages.Pending) ? current : AttachPending(current, versionId), cancellationToken).ConfigureAwait(false);
        Pipeline.Audit?.RecordServiceEvent("RotationStarted", secret.Arn, Now);
        ISecretStore store = (Store ?? throw new InvalidOperationException("The table has no store.")).AsCaller(AccountRoot);
        string? failedStep = null;
        foreach (string step in testOnly ? s_testStep : s_allSteps)
        {
            using Activity? span = VaultlibTracing.StartRotationStep("Secrets Manager", step);
            try
            {
                await function.InvokeAsync(new SecretRotationEvent { Step = step, SecretId = secret.Arn, ClientRequestToken = versionId }, store, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The function's message may quote the value it handled: only the step and the exception's type are kept.
                failedStep = step;
                Log.RotationFailed(Logger, secret.Arn, step, ex.GetType().Name);
                VaultlibTracing.Fail(span, ex.GetType().Name);
                break;
            }
        }

        DateTimeOffset now = Now;
        await ChangeAsync(secret.Name, current => current is null ? null : Conclude(current, versionId, testOnly, failedStep is null, now), cancellationToken).ConfigureAwait(false);
        Pipeline.Audit?.RecordServiceEvent(failedStep is null ? (testOnly ? "RotationTested" : "RotationSucceeded") : "RotationFailed", secret.Arn, now);
        return failedStep is null;
    }

    private SecretRecord AttachPending(SecretRecord secret, string versionId)
    {
        var version = new SecretVersionRecord { VersionId = versionId, Stages = [], CreatedDate = Now };
        return secret with { Versions = SecretStages.Attach([.. secret.Versions, version], versionId, SecretStages.Pending) };
    }

    /// <summary>The secret after an attempt: a test's version removed; a finished rotation dated, its schedule moved on, and AWSPENDING taken off the new AWSCURRENT.</summary>
    private static SecretRecord Conclude(SecretRecord secret, string versionId, bool testOnly, bool succeeded, DateTimeOffset now)
    {
        if (testOnly)
        {
            return secret with { Versions = [.. secret.Versions.Where(v => v.VersionId != versionId)] };
        }

        SecretVersionRecord? version = secret.Version(versionId);
        if (!succeeded || version is null || !version.Has(SecretStages.Current))
        {
            return secret; // still pending: retried by the next RotateSecret or at the next scheduled time
        }

        return secret with
        {
            Versions = SecretStages.Detach(secret.Versions, versionId, SecretStages.Pending),
            LastRotatedDate = now,
            NextRotationDate = secret.RotationEnabled && secret.RotationRules is { } rules ? RotationSchedule.Next(rules, now, now) : null,
        };
    }

    /// <summary>Runs every rotation that has fallen due (a pending one again with its token), each outside the write gate.</summary>
    private async ValueTask RunDueRotationsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (SecretRecord secret in _secrets.Values.Where(s => s.RotationEnabled && !s.IsDeleted && s.NextRotationDate <= now).ToList())
        {
            string versionId = secret.PendingRotation?.VersionId ?? Guid.NewGuid().ToString();
            try
            {
                if (secret.RotationLambdaARN is null || !await RotateAsync(secret, secret.RotationLambdaARN, versionId, testOnly: false, cancellationToken).ConfigureAwait(false))
                {
                    // As AWS retries a failed scheduled rotation in the next window: here, a day later.
                    await ChangeAsync(secret.Name, current => current is null ? null : current with { NextRotationDate = now.AddDays(1) }, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (SecretsManagerException ex)
            {
                Log.RotationFailed(Logger, secret.Arn, "start", ex.ErrorCode);
                await ChangeAsync(secret.Name, current => current is null ? null : current with { NextRotationDate = now.AddDays(1) }, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
