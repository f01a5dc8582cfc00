namespace Vaultlib.Secrets;

/// <summary>The steps every rotation function shares, as AWS's rotation function templates write them.</summary>
public static class SecretRotationSteps
{
    /// <summary>
    /// <c>finishSecret</c>: moves AWSCURRENT to the version the rotation made (AWSPREVIOUS follows, as
    /// <c>UpdateSecretVersionStage</c> moves it); nothing when it is there already, as after a retried step.
    /// </summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    public static async Task FinishSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
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
    /// Whether <c>createSecret</c> already gave the AWSPENDING version named by the event's token a value (a retried
    /// rotation), so the step must not make another.
    /// </summary>
    /// <param name="rotationEvent">The step's event.</param>
    /// <param name="secrets">Secrets Manager of the secret's region.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    public static async Task<bool> PendingExistsAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
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
