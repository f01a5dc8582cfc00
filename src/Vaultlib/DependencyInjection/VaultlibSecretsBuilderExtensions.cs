using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vaultlib.Secrets;

namespace Vaultlib.DependencyInjection;

/// <summary>Secrets Manager's part of <c>AddVaultlib()</c>: the rotation functions secrets name.</summary>
public static class VaultlibSecretsBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TFunction"/> (a singleton, made on its first step, so it may depend on
    /// <see cref="ISecretStore"/> or anything else in the container) as the rotation function secrets name by
    /// <paramref name="functionArn"/> in <c>RotationLambdaARN</c>.
    /// </summary>
    /// <typeparam name="TFunction">The function.</typeparam>
    /// <param name="builder">The builder from <c>AddVaultlib()</c>.</param>
    /// <param name="functionArn">The ARN, e.g. <c>arn:aws:lambda:us-east-1:111122223333:function:rotate-db</c>.</param>
    public static IVaultlibBuilder AddRotationFunction<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFunction>(this IVaultlibBuilder builder, string functionArn)
        where TFunction : class, ISecretRotationFunction
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(functionArn);
        builder.Services.TryAddSingleton<TFunction>();
        builder.Services.AddSingleton(new RotationFunctionRegistration(functionArn, typeof(TFunction)));
        return builder;
    }

    /// <summary>Registers every function added with <see cref="AddRotationFunction{TFunction}"/> with the host's registry.</summary>
    internal static void RegisterRotationFunctions(IServiceProvider services, VaultlibHost host)
    {
        foreach (RotationFunctionRegistration registration in services.GetServices<RotationFunctionRegistration>())
        {
            host.RotationFunctions.Register(registration.FunctionArn, new Deferred(services, registration.FunctionType));
        }
    }

    /// <summary>A function resolved from the container on its first step (resolving it while the host is made could need the host).</summary>
    private sealed class Deferred(IServiceProvider services, Type type) : ISecretRotationFunction
    {
        private ISecretRotationFunction? _function;

        public Task InvokeAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken) =>
            (_function ??= (ISecretRotationFunction)services.GetRequiredService(type)).InvokeAsync(rotationEvent, secrets, cancellationToken);
    }
}

/// <summary>A rotation function added with <see cref="VaultlibSecretsBuilderExtensions.AddRotationFunction{TFunction}"/>.</summary>
internal sealed record RotationFunctionRegistration(string FunctionArn, [property: DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type FunctionType);
