using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Certificates;
using Vaultlib.Certificates.Acm;
using Vaultlib.Keys;
using Vaultlib.Parameters;
using Vaultlib.Secrets;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Vaultlib;

/// <summary>
/// One Vaultlib serving several regions and accounts, as AWS does: each (account, region) has its
/// own services and its own records in the vault, sealed under its own keys, its ARNs name it, and its keys are bound to it — a ciphertext made
/// in <c>us-east-1</c> does not decrypt in <c>eu-west-1</c>; data moves between regions by being
/// decrypted in the source and re-encrypted under a key of the destination. The exception, as in AWS,
/// is a multi-Region key (<c>mrk-…</c>): ReplicateKey gives it a replica with the same id and material
/// in another Region of the same account, and a ciphertext of either decrypts with the other. Identity policies (IAM
/// is global), the audit sink, the clock and the scheduler are shared. A region's services are
/// created when first asked for. The default region and account are <see cref="DefaultOptions"/>.
/// </summary>
/// <example>
/// <code>
/// using var host = new VaultlibHost();
/// IKeyService virginia = host.GetKeyService("us-east-1");
/// IKeyService ireland = host.GetKeyService("eu-west-1");
/// </code>
/// </example>
public sealed class VaultlibHost : IDisposable
{
    private readonly ConcurrentDictionary<(string Account, string Region), Lazy<KeyService>> _keyServices = new();
    private readonly ConcurrentDictionary<(string Account, string Region), Lazy<ParameterStore>> _parameterStores = new();
    private readonly ConcurrentDictionary<(string Account, string Region), Lazy<SecretStore>> _secretStores = new();
    private readonly ConcurrentDictionary<(string Account, string Region), Lazy<PrivateCertificateAuthority>> _certificateAuthorities = new();
    private readonly ConcurrentDictionary<(string Account, string Region), Lazy<CertificateManager>> _certificateManagers = new();
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IAuditSink? _auditSink;
    private readonly Vault _vault;
    private readonly bool _ownsVault;
    private bool _disposed;

    /// <summary>A host whose every region is in one in-memory vault (tests, fakes).</summary>
    /// <param name="options">The default region and account; <see cref="VaultlibOptions"/>' defaults when null.</param>
    /// <param name="timeProvider">The clock of every region and of the scheduler.</param>
    /// <param name="loggerFactory">Where operation outcomes are logged.</param>
    /// <param name="auditSink">Where every call of every region is recorded.</param>
    /// <param name="identityPolicies">The IAM identity policies of callers, shared by every region and account.</param>
    public VaultlibHost(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
        : this(Vault.CreateInMemory(timeProvider), ownsVault: true, options, timeProvider, loggerFactory, auditSink, identityPolicies)
    {
    }

    /// <summary>
    /// A host whose every region and account keeps its records in <paramref name="vault"/> (an
    /// embedded SQLite file, a PostgreSQL database shared by a fleet), each as its own service
    /// (<c>kms/&lt;region&gt;/&lt;account&gt;</c>) under its own derived keys.
    /// </summary>
    /// <param name="vault">The vault.</param>
    /// <param name="ownsVault">Whether disposing the host disposes the vault.</param>
    /// <param name="options">The default region and account.</param>
    /// <param name="timeProvider">The clock of every region and of the scheduler.</param>
    /// <param name="loggerFactory">Where operation outcomes are logged.</param>
    /// <param name="auditSink">Where every call of every region is recorded.</param>
    /// <param name="identityPolicies">The IAM identity policies of callers, shared by every region and account.</param>
    public VaultlibHost(Vault vault, bool ownsVault = false, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        DefaultOptions = VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions());
        _vault = vault;
        _ownsVault = ownsVault;
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
        _auditSink = auditSink;
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        Scheduler = new VaultlibScheduler(_time, loggerFactory);
    }

    /// <summary>The vault every region keeps its records in.</summary>
    public Vault Vault => _vault;

    /// <summary>The default region and account: the ones <see cref="Keys"/> serves.</summary>
    public VaultlibOptions DefaultOptions { get; }

    /// <summary>The identity policies of callers, shared by every region and account.</summary>
    public IdentityPolicyStore IdentityPolicies { get; }

    /// <summary>The scheduler that runs every region's time-driven work (started by the generic host, or by calling <see cref="VaultlibScheduler.Start"/>).</summary>
    public VaultlibScheduler Scheduler { get; }

    /// <summary>KMS in the default region and account.</summary>
    public KeyService Keys => GetKeyService(DefaultOptions.Region, DefaultOptions.AccountId);

    /// <summary>The regions and accounts whose services have been created so far.</summary>
    public IReadOnlyList<(string AccountId, string Region)> ActiveRegions => [.. _keyServices.Keys.Select(k => (k.Account, k.Region)).Order()];

    /// <summary>KMS in <paramref name="region"/> of <paramref name="accountId"/> (the default account when null), created when first asked for.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The region or account is not a valid name.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public KeyService GetKeyService(string region, string? accountId = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var options = new VaultlibOptions { Region = region, AccountId = accountId ?? DefaultOptions.AccountId, Partition = DefaultOptions.Partition };
        VaultlibOptionsValidator.EnsureValid(options);
        return _keyServices.GetOrAdd((options.AccountId, options.Region), _ => new Lazy<KeyService>(() => CreateKeyService(options))).Value;
    }

    /// <summary>Parameter Store in the default region and account.</summary>
    public ParameterStore Parameters => GetParameterStore(DefaultOptions.Region, DefaultOptions.AccountId);

    /// <summary>
    /// Parameter Store in <paramref name="region"/> of <paramref name="accountId"/> (the default account when null),
    /// created when first asked for, with its records in the host's vault (the service <c>ssm/&lt;region&gt;/&lt;account&gt;</c>)
    /// and its SecureStrings encrypted by the KMS of the same region and account.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The region or account is not a valid name.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public ParameterStore GetParameterStore(string region, string? accountId = null)
    {
        KeyService keys = GetKeyService(region, accountId);
        return _parameterStores.GetOrAdd((keys.Options.AccountId, keys.Options.Region), _ => new Lazy<ParameterStore>(() =>
        {
            var store = new VaultParameterStore(_vault, keys.Options, _time, _loggerFactory, _auditSink, IdentityPolicies, keys);
            store.Table.SecretsManager = () => GetSecretStore(keys.Options.Region, keys.Options.AccountId).Table;
            Scheduler.Add(store.ScheduledWork);
            return store;
        })).Value;
    }

    /// <summary>The rotation functions every region's secrets name in <c>RotationLambdaARN</c>.</summary>
    public SecretRotationFunctions RotationFunctions { get; } = new();

    /// <summary>Secrets Manager in the default region and account.</summary>
    public SecretStore Secrets => GetSecretStore(DefaultOptions.Region, DefaultOptions.AccountId);

    /// <summary>
    /// Secrets Manager in <paramref name="region"/> of <paramref name="accountId"/> (the default account when null),
    /// created when first asked for, with its records in the host's vault (the service
    /// <c>secretsmanager/&lt;region&gt;/&lt;account&gt;</c>) and its values encrypted by the KMS of the same region and account.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The region or account is not a valid name.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public SecretStore GetSecretStore(string region, string? accountId = null)
    {
        KeyService keys = GetKeyService(region, accountId);
        return _secretStores.GetOrAdd((keys.Options.AccountId, keys.Options.Region), _ => new Lazy<SecretStore>(() =>
        {
            var store = new VaultSecretStore(_vault, keys.Options, _time, _loggerFactory, _auditSink, IdentityPolicies, keys, RotationFunctions);

            // Secrets replicate between the Regions of one account.
            store.Table.Regions = region => GetSecretStore(region, keys.Options.AccountId).Table;
            Scheduler.Add(store.ScheduledWork);
            return store;
        })).Value;
    }

    /// <summary>ACM Private CA in the default region and account.</summary>
    public PrivateCertificateAuthority CertificateAuthority => GetCertificateAuthority(DefaultOptions.Region, DefaultOptions.AccountId);

    /// <summary>
    /// ACM Private CA in <paramref name="region"/> of <paramref name="accountId"/> (the default account when null),
    /// created when first asked for, with its records (CA keys sealed inside) in the host's vault (the service
    /// <c>acm-pca/&lt;region&gt;/&lt;account&gt;</c>).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The region or account is not a valid name.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public PrivateCertificateAuthority GetCertificateAuthority(string region, string? accountId = null)
    {
        KeyService keys = GetKeyService(region, accountId);
        return _certificateAuthorities.GetOrAdd((keys.Options.AccountId, keys.Options.Region), _ => new Lazy<PrivateCertificateAuthority>(() =>
        {
            var authority = new VaultPrivateCertificateAuthority(_vault, keys.Options, _time, _loggerFactory, _auditSink, IdentityPolicies);
            Scheduler.Add(authority.ScheduledWork);
            return authority;
        })).Value;
    }

    /// <summary>
    /// How ACM validates domains (the DNS resolver, the mail sender), read when a Region's ACM is first made. Its
    /// <see cref="CertificateManagerSettings.PrivateCertificateAuthority"/> is ignored: each Region's ACM issues private
    /// certificates through that Region's <see cref="GetCertificateAuthority"/>.
    /// </summary>
    public CertificateManagerSettings CertificateManagerSettings { get; set; } = new();

    /// <summary>ACM in the default region and account.</summary>
    public CertificateManager CertificateManager => GetCertificateManager(DefaultOptions.Region, DefaultOptions.AccountId);

    /// <summary>
    /// ACM in <paramref name="region"/> of <paramref name="accountId"/> (the default account when null), created when
    /// first asked for, with its records (private keys sealed inside) in the host's vault (the service
    /// <c>acm/&lt;region&gt;/&lt;account&gt;</c>), issuing private certificates through the same Region's Private CA.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The region or account is not a valid name.</exception>
    /// <exception cref="ObjectDisposedException">The host has been disposed.</exception>
    public CertificateManager GetCertificateManager(string region, string? accountId = null)
    {
        PrivateCertificateAuthority authority = GetCertificateAuthority(region, accountId);
        return _certificateManagers.GetOrAdd((authority.Options.AccountId, authority.Options.Region), _ => new Lazy<CertificateManager>(() =>
        {
            var manager = new VaultCertificateManager(_vault, authority.Options, _time, _loggerFactory, _auditSink, IdentityPolicies, CertificateManagerSettings with { PrivateCertificateAuthority = authority });
            Scheduler.Add(manager.ScheduledWork);
            return manager;
        })).Value;
    }

    private VaultKeyService CreateKeyService(VaultlibOptions options)
    {
        var service = new VaultKeyService(_vault, options, _time, _loggerFactory, _auditSink, IdentityPolicies);

        // Multi-Region keys replicate between the Regions of one account.
        service.Table.Regions = region => GetKeyService(region, options.AccountId).Table;
        Scheduler.Add(service.ScheduledWork);
        return service;
    }

    /// <summary>Stops the scheduler, then disposes every region's services (zeroing their key material), and the vault when the host owns it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Scheduler.Dispose();
        foreach (Lazy<CertificateManager> manager in _certificateManagers.Values)
        {
            if (manager.IsValueCreated)
            {
                manager.Value.Dispose();
            }
        }

        foreach (Lazy<PrivateCertificateAuthority> authority in _certificateAuthorities.Values)
        {
            if (authority.IsValueCreated)
            {
                authority.Value.Dispose();
            }
        }

        foreach (Lazy<SecretStore> store in _secretStores.Values)
        {
            if (store.IsValueCreated)
            {
                store.Value.Dispose();
            }
        }

        foreach (Lazy<ParameterStore> store in _parameterStores.Values)
        {
            if (store.IsValueCreated)
            {
                store.Value.Dispose();
            }
        }

        foreach (Lazy<KeyService> service in _keyServices.Values)
        {
            if (service.IsValueCreated)
            {
                service.Value.Dispose();
            }
        }

        if (_ownsVault)
        {
            _vault.Dispose();
        }
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"VaultlibHost({DefaultOptions.Region}, {DefaultOptions.AccountId}, {_keyServices.Count} regions)";
}
