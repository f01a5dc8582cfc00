using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vaultlib;
using Vaultlib.AwsProtocol;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the AWS SDK for .NET's clients backed by Vaultlib in process.</summary>
public static class VaultlibAwsSdkExtensions
{
    /// <summary>
    /// Registers <see cref="IAmazonKeyManagementService"/> and <see cref="IAmazonSimpleSystemsManagement"/> for the default
    /// Region, backed by this container's Vaultlib through <see cref="VaultlibAwsMessageHandler"/>: no socket, no port,
    /// and every request signed by the client and checked by Vaultlib (SigV4) with a key made for the container, which
    /// stands for <paramref name="principalArn"/> (the account root when null). Also registers
    /// <see cref="VaultlibHttpClientFactory"/> and <see cref="AWSCredentials"/> for other AWS SDK clients of services
    /// Vaultlib serves (Secrets Manager, ACM, ACM Private CA).
    /// </summary>
    /// <param name="builder">Vaultlib's builder (<c>AddVaultlib()</c>).</param>
    /// <param name="principalArn">The IAM principal the clients call as.</param>
    /// <returns>The builder.</returns>
    public static IVaultlibBuilder AddAwsSdkClients(this IVaultlibBuilder builder, string? principalArn = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.TryAddSingleton(sp =>
        {
            VaultlibOptions options = sp.GetRequiredService<IOptions<VaultlibOptions>>().Value;
            string accessKey = "AKIA" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
            string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
            var credentials = new AwsCredentials().Add(accessKey, secret, principalArn ?? $"arn:{options.Partition}:iam::{options.AccountId}:root");
            return new InProcessAws(credentials, new BasicAWSCredentials(accessKey, secret));
        });
        services.TryAddSingleton(sp => new AwsJsonEndpoint(sp.GetRequiredService<VaultlibHost>(), sp.GetService<Logging.ILogger<AwsJsonEndpoint>>()));
        services.TryAddSingleton(sp => new VaultlibAwsMessageHandler(sp.GetRequiredService<AwsJsonEndpoint>(), sp.GetRequiredService<InProcessAws>().Credentials, sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new VaultlibHttpClientFactory(sp.GetRequiredService<VaultlibAwsMessageHandler>()));
        services.TryAddSingleton<AWSCredentials>(sp => sp.GetRequiredService<InProcessAws>().ClientCredentials);
        services.TryAddSingleton<IAmazonKeyManagementService>(sp =>
            new AmazonKeyManagementServiceClient(sp.GetRequiredService<AWSCredentials>(), Configure(sp, new AmazonKeyManagementServiceConfig(), "kms")));
        services.TryAddSingleton<IAmazonSimpleSystemsManagement>(sp =>
            new AmazonSimpleSystemsManagementClient(sp.GetRequiredService<AWSCredentials>(), Configure(sp, new AmazonSimpleSystemsManagementConfig(), "ssm")));
        return builder;
    }

    private static T Configure<T>(IServiceProvider services, T config, string endpointPrefix)
        where T : ClientConfig
    {
        string region = services.GetRequiredService<IOptions<VaultlibOptions>>().Value.Region;
        config.ServiceURL = $"https://{endpointPrefix}.{region}.amazonaws.com";
        config.AuthenticationRegion = region;
        config.HttpClientFactory = services.GetRequiredService<VaultlibHttpClientFactory>();
        return config;
    }

    /// <summary>The container's own access key: Vaultlib's side (to check signatures) and the clients' side (to sign).</summary>
    private sealed record InProcessAws(AwsCredentials Credentials, AWSCredentials ClientCredentials);
}
