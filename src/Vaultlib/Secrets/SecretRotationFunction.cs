namespace Vaultlib.Secrets;

/// <summary>
/// A rotation function written as AWS's rotation function templates are: one method per step, the step picked from
/// the event. <c>setSecret</c> and <c>testSecret</c> do nothing unless overridden; <c>finishSecret</c> moves
/// AWSCURRENT to the new version (AWSPREVIOUS follows), and does nothing when it is there already, as after a
/// retried step.
/// </summary>
public abstract class SecretRotationFunction : ISecretRotationFunction
{
    /// <inheritdoc/>
    public Task InvokeAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        ArgumentNullException.ThrowIfNull(secrets);
        return rotationEvent.Step switch
        {
            "createSecret" => CreateSecretAsync(rotationEvent, secrets, cancellationToken),
            "setSecret" => SetSecretAsync(rotationEvent, secrets, cancellationToken),
            "testSecret" => TestSecretAsync(rotationEvent, secrets, cancellationToken),
            "finishSecret" => FinishSecretAsync(rotationEvent, secrets, cancellationToken),
            _ => throw new ArgumentException($"Unknown rotation step '{rotationEvent.Step}'.", nameof(rotationEvent)),
        };
    }

    /// <summary><c>createSecret</c>: puts the new value as the AWSPENDING version named by the event's token (see <see cref="PendingExistsAsync"/> for retries).</summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    protected abstract Task CreateSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken);

    /// <summary><c>setSecret</c>: sets the new value where it is used (nothing by default).</summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    protected virtual Task SetSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary><c>testSecret</c>: checks the new value works (nothing by default).</summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    protected virtual Task TestSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary><c>finishSecret</c>: moves AWSCURRENT to the version the rotation made; nothing when it is there already.</summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    protected virtual async Task FinishSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        ArgumentNullException.ThrowIfNull(secrets);
        DescribeSecretResponse described = await secrets.DescribeSecretAsync(new DescribeSecretRequest { SecretId = rotationEvent.SecretId }, cancellationToken).ConfigureAwait(false);
        string? current = described.VersionIdsToStages?.FirstOrDefault(v => v.Value.Contains("AWSCURRENT")).Key;
        if (current == rotationEvent.ClientRequestToken)
        {
            return;
        }

        await secrets.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = rotationEvent.SecretId, VersionStage = "AWSCURRENT", MoveToVersionId = rotationEvent.ClientRequestToken, RemoveFromVersionId = current }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether an earlier <c>createSecret</c> already gave the AWSPENDING version named by the event's token a value (a
    /// retried rotation), so the step must not make another.
    /// </summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    protected static async Task<bool> PendingExistsAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        ArgumentNullException.ThrowIfNull(secrets);
        try
        {
            await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = rotationEvent.SecretId, VersionId = rotationEvent.ClientRequestToken, VersionStage = "AWSPENDING" }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }
}
