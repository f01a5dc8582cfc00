using System.Collections.Concurrent;

namespace Vaultlib.Secrets;

/// <summary>
/// A rotation function, as AWS Secrets Manager calls a rotation Lambda: four steps, each an
/// <see cref="InvokeAsync"/> with AWS's event (<c>SecretId</c>, <c>ClientRequestToken</c>, <c>Step</c>):
/// <c>createSecret</c> puts the new value as the AWSPENDING version named by the token (which has no value until
/// then), <c>setSecret</c> sets it where it is used (a database user's password), <c>testSecret</c> checks it works,
/// and <c>finishSecret</c> moves AWSCURRENT to it. The function calls back into Secrets Manager through the store it
/// is given, as a Lambda calls it through the SDK. Register it under the ARN secrets name in <c>RotationLambdaARN</c>
/// (<see cref="SecretRotationFunctions"/>).
/// </summary>
public interface ISecretRotationFunction
{
    /// <summary>Runs one step. An exception fails the rotation, which stays pending (AWSPENDING attached) for a retry.</summary>
    /// <param name="rotationEvent">The step, the secret's ARN and the new version's token.</param>
    /// <param name="secrets">Secrets Manager of the secret's region, as the function's role (the account root).</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    Task InvokeAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken);
}

/// <summary>The event a rotation function receives, as AWS sends it to a rotation Lambda.</summary>
public sealed record SecretRotationEvent
{
    /// <summary>The step: <c>createSecret</c>, <c>setSecret</c>, <c>testSecret</c> or <c>finishSecret</c>.</summary>
    public required string Step { get; init; }

    /// <summary>The secret's ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The id of the version the rotation makes (labelled AWSPENDING).</summary>
    public required string ClientRequestToken { get; init; }
}

/// <summary>The rotation functions secrets can name, by the ARN given in <c>RotationLambdaARN</c>. Thread-safe.</summary>
public sealed class SecretRotationFunctions
{
    private readonly ConcurrentDictionary<string, ISecretRotationFunction> _functions = new(StringComparer.Ordinal);

    /// <summary>Registers <paramref name="function"/> under <paramref name="functionArn"/> (replacing any there).</summary>
    /// <param name="functionArn">The ARN secrets name it by, e.g. <c>arn:aws:lambda:us-east-1:111122223333:function:rotate-db</c>.</param>
    /// <param name="function">The function.</param>
    public SecretRotationFunctions Register(string functionArn, ISecretRotationFunction function)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionArn);
        ArgumentNullException.ThrowIfNull(function);
        _functions[functionArn] = function;
        return this;
    }

    /// <summary>The function registered under <paramref name="functionArn"/>, if any.</summary>
    public ISecretRotationFunction? Find(string functionArn) => _functions.GetValueOrDefault(functionArn);
}
