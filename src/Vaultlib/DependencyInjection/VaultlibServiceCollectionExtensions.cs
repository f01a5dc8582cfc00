using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vaultlib;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.DependencyInjection;
using Vaultlib.Keys;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Vaultlib's services.</summary>
public static class VaultlibServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="VaultlibHost"/> (every region and account; in memory unless the returned
    /// builder's <see cref="VaultlibBuilderExtensions.PersistToSqlite(IVaultlibBuilder, string, VaultRootKey)"/>
    /// or <see cref="VaultlibBuilderExtensions.UseVault"/> is called), <see cref="IKeyService"/>, <see cref="Vaultlib.Parameters.IParameterStore"/>, <see cref="Vaultlib.Secrets.ISecretStore"/> and <see cref="Vaultlib.Certificates.ICertificateAuthority"/> and <see cref="Vaultlib.Certificates.Acm.ICertificateManager"/> (domain validation through the <see cref="Vaultlib.Certificates.Acm.IDnsValidationResolver"/> and <see cref="Vaultlib.Certificates.Acm.IValidationEmailSender"/> registered, if any) for the default region of the validated
    /// <see cref="VaultlibOptions"/>, and its <see cref="VaultlibScheduler"/> as an
    /// <see cref="IHostedService"/>, so that rotations and deletions happen on time in a generic-host
    /// application. The <see cref="TimeProvider"/> and <see cref="ILoggerFactory"/> registered in the
    /// container are used when present. Calling it again only adds the further configuration.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets region and account.</param>
    /// <returns>A builder for storage and further Vaultlib settings.</returns>
    public static IVaultlibBuilder AddVaultlib(this IServiceCollection services, Action<VaultlibOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<VaultlibOptions> options = services.AddOptions<VaultlibOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var builder = new VaultlibBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(VaultlibMarker)))
        {
            return builder;
        }

        services.AddSingleton<VaultlibMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<VaultlibOptions>, VaultlibOptionsValidator>());
        services.AddOptions<VaultlibStorageOptions>();
        services.TryAddSingleton(sp =>
        {
            var identityPolicies = new IdentityPolicyStore();
            foreach (IdentityPolicyRegistration registration in sp.GetServices<IdentityPolicyRegistration>())
            {
                identityPolicies.Set(registration.PrincipalArn, registration.Policies);
            }

            return identityPolicies;
        });
        services.TryAddSingleton(CreateHost);
        services.TryAddSingleton(sp => sp.GetRequiredService<VaultlibHost>().Scheduler);
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<VaultlibScheduler>());
        services.TryAddSingleton<KeyService>(sp => sp.GetRequiredService<VaultlibHost>().Keys);
        services.TryAddSingleton<IKeyService>(sp => sp.GetRequiredService<KeyService>());
        services.TryAddSingleton<Vaultlib.Parameters.ParameterStore>(sp => sp.GetRequiredService<VaultlibHost>().Parameters);
        services.TryAddSingleton<Vaultlib.Parameters.IParameterStore>(sp => sp.GetRequiredService<Vaultlib.Parameters.ParameterStore>());
        services.TryAddSingleton<Vaultlib.Secrets.SecretStore>(sp => sp.GetRequiredService<VaultlibHost>().Secrets);
        services.TryAddSingleton<Vaultlib.Secrets.ISecretStore>(sp => sp.GetRequiredService<Vaultlib.Secrets.SecretStore>());
        services.TryAddSingleton<Vaultlib.Certificates.PrivateCertificateAuthority>(sp => sp.GetRequiredService<VaultlibHost>().CertificateAuthority);
        services.TryAddSingleton<Vaultlib.Certificates.ICertificateAuthority>(sp => sp.GetRequiredService<Vaultlib.Certificates.PrivateCertificateAuthority>());
        services.TryAddSingleton<Vaultlib.Certificates.Acm.CertificateManager>(sp => sp.GetRequiredService<VaultlibHost>().CertificateManager);
        services.TryAddSingleton<Vaultlib.Certificates.Acm.ICertificateManager>(sp => sp.GetRequiredService<Vaultlib.Certificates.Acm.CertificateManager>());
        return builder;
    }

    private static VaultlibHost CreateHost(IServiceProvider services)
    {
        VaultlibOptions options = services.GetRequiredService<IOptions<VaultlibOptions>>().Value;
        VaultlibStorageOptions storage = services.GetRequiredService<IOptions<VaultlibStorageOptions>>().Value;
        TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        ILoggerFactory? loggers = services.GetService<ILoggerFactory>();
        IAuditSink[] sinks = [.. services.GetServices<IAuditSink>()];
        IAuditSink? audit = sinks.Length switch
        {
            0 => null,
            1 => sinks[0],
            _ => new CompositeAuditSink(sinks),
        };
        IdentityPolicyStore identityPolicies = services.GetRequiredService<IdentityPolicyStore>();
        VaultlibHost host = storage.Vault is null
            ? new VaultlibHost(options, time, loggers, audit, identityPolicies)
            : new VaultlibHost(storage.Vault(services), ownsVault: true, options, time, loggers, audit, identityPolicies);
        host.CertificateManagerSettings = new Vaultlib.Certificates.Acm.CertificateManagerSettings
        {
            DnsResolver = services.GetService<Vaultlib.Certificates.Acm.IDnsValidationResolver>(),
            EmailSender = services.GetService<Vaultlib.Certificates.Acm.IValidationEmailSender>(),
        };
        VaultlibSecretsBuilderExtensions.RegisterRotationFunctions(services, host);
        return host;
    }

    private sealed class VaultlibMarker;
}

/// <summary>One principal's identity policies, registered with <see cref="VaultlibBuilderExtensions.AddIdentityPolicy"/>.</summary>
internal sealed record IdentityPolicyRegistration(string PrincipalArn, string[] Policies);

/// <summary>Further configuration of Vaultlib, returned by <c>AddVaultlib</c>.</summary>
public interface IVaultlibBuilder
{
    /// <summary>The service collection Vaultlib is registered in.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Storage and other settings on <see cref="IVaultlibBuilder"/>.</summary>
public static class VaultlibBuilderExtensions
{
    /// <summary>
    /// Keeps every service's state in the SQLite vault file <paramref name="path"/> (created, private
    /// to its owner, when missing), encrypted at rest under <paramref name="rootKey"/>. The caller
    /// keeps ownership of the root key, which is used only while the vault opens.
    /// </summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public static IVaultlibBuilder PersistToSqlite(this IVaultlibBuilder builder, string path, VaultRootKey rootKey)
    {
        ArgumentNullException.ThrowIfNull(rootKey);
        return builder.PersistToSqlite(path, _ => rootKey);
    }

    /// <summary>
    /// As <see cref="PersistToSqlite(IVaultlibBuilder, string, VaultRootKey)"/>, with the root key
    /// made from the container when the vault opens (e.g. from a secret provider).
    /// </summary>
    public static IVaultlibBuilder PersistToSqlite(this IVaultlibBuilder builder, string path, Func<IServiceProvider, VaultRootKey> rootKeyFactory)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rootKeyFactory);
        string full = Path.GetFullPath(path);
        return builder.UseVault(sp => Vault.OpenSqlite(full, rootKeyFactory(sp), timeProvider: sp.GetService<TimeProvider>()));
    }

    /// <summary>
    /// Keeps every service's state in the vault <paramref name="vaultFactory"/> opens when the
    /// services are first resolved (a PostgreSQL vault from <c>Vaultlib.PostgreSql</c>, or any
    /// <see cref="IVaultStore"/>); the container disposes it with the host.
    /// </summary>
    public static IVaultlibBuilder UseVault(this IVaultlibBuilder builder, Func<IServiceProvider, Vault> vaultFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(vaultFactory);
        builder.Services.Configure<VaultlibStorageOptions>(o => o.Vault = vaultFactory);
        return builder;
    }

    /// <summary>Gives <paramref name="principalArn"/> the IAM identity policy <paramref name="policyJson"/> (replacing earlier ones of that principal).</summary>
    /// <exception cref="Vaultlib.Authorization.PolicyDocumentException">The policy is malformed.</exception>
    public static IVaultlibBuilder AddIdentityPolicy(this IVaultlibBuilder builder, string principalArn, params string[] policyJson)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var store = new IdentityPolicyStore();
        store.Set(principalArn, policyJson); // parse now, so a malformed policy fails at registration
        builder.Services.AddSingleton(new IdentityPolicyRegistration(principalArn, policyJson));
        return builder;
    }

    /// <summary>Records every call of every service in <paramref name="sink"/> (several sinks may be added).</summary>
    public static IVaultlibBuilder AddAuditSink(this IVaultlibBuilder builder, IAuditSink sink)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sink);
        builder.Services.AddSingleton(sink);
        return builder;
    }

    /// <summary>Records every call in an <see cref="InMemoryAuditSink"/>, which is also registered for queries.</summary>
    public static IVaultlibBuilder AddInMemoryAudit(this IVaultlibBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<InMemoryAuditSink>();
        builder.Services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<InMemoryAuditSink>());
        return builder;
    }

    /// <summary>Appends every call as one JSON line to <paramref name="path"/>.</summary>
    public static IVaultlibBuilder AddJsonLinesAudit(this IVaultlibBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        builder.Services.AddSingleton<IAuditSink>(_ => new JsonLinesAuditSink(path));
        return builder;
    }

    /// <summary>Logs every call as one JSON line through the container's <see cref="ILoggerFactory"/>.</summary>
    public static IVaultlibBuilder AddLoggerAudit(this IVaultlibBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IAuditSink>(sp => new LoggerAuditSink(sp.GetRequiredService<ILoggerFactory>()));
        return builder;
    }
}
