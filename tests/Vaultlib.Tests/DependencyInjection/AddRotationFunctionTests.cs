using Microsoft.Extensions.DependencyInjection;
using Vaultlib.DependencyInjection;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.DependencyInjection;

public sealed class AddRotationFunctionTests
{
    private const string FunctionArn = "arn:aws:lambda:us-east-1:111122223333:function:di-rotation";

    /// <summary>A rotation function that depends on the store it rotates (made only on its first step, after the host).</summary>
    private sealed class StoreDependentRotation(ISecretStore store) : ISecretRotationFunction
    {
        public int Calls { get; private set; }

        public async Task InvokeAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
        {
            Calls++;
            if (rotationEvent.Step == "createSecret")
            {
                await secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = rotationEvent.SecretId, ClientRequestToken = rotationEvent.ClientRequestToken, SecretString = "rotated", VersionStages = ["AWSPENDING"] }, cancellationToken);
            }
            else if (rotationEvent.Step == "finishSecret")
            {
                string current = (await store.DescribeSecretAsync(new DescribeSecretRequest { SecretId = rotationEvent.SecretId }, cancellationToken)).VersionIdsToStages!.Single(v => v.Value.Contains("AWSCURRENT")).Key;
                await secrets.UpdateSecretVersionStageAsync(new UpdateSecretVersionStageRequest { SecretId = rotationEvent.SecretId, VersionStage = "AWSCURRENT", MoveToVersionId = rotationEvent.ClientRequestToken, RemoveFromVersionId = current }, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task A_function_added_to_the_container_rotates_the_secrets_that_name_it()
    {
        var services = new ServiceCollection();
        services.AddVaultlib().AddRotationFunction<StoreDependentRotation>(FunctionArn);
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        ISecretStore secrets = provider.GetRequiredService<ISecretStore>();
        await secrets.CreateSecretAsync(new CreateSecretRequest { Name = "di/db", SecretString = "first" });
        await secrets.RotateSecretAsync(new RotateSecretRequest { SecretId = "di/db", RotationLambdaARN = FunctionArn });

        Assert.Equal("rotated", (await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "di/db" })).SecretString);
        Assert.Equal(4, provider.GetRequiredService<StoreDependentRotation>().Calls);
    }
}
