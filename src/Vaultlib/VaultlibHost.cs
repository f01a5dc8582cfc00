using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Vaultlib;

/// <summary>
/// One Vaultlib serving several regions and accounts, as AWS does: each (account, region) has its
/// own services and its own store, its ARNs name it, and its keys are bound to it — a ciphertext made
/// in <c>us-east-1</c> does not decrypt in <c>eu-west-1</c>; data moves between regions by being
/// decrypted in the source and re-encrypted under a key of the destination. Identity policies (IAM
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
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IAuditSink? _auditSink;
    private readonly string? _directory;
    private readonly Func<VaultRootKey>? _rootKey;
    private bool _disposed;

    /// <summary>A host whose every region is in memory (tests, fakes).</summary>
    /// <param name="options">The default region and account; <see cref="VaultlibOptions"/>' defaults when null.</param>
    /// <param name="timeProvider">The clock of every region and of the scheduler.</param>
    /// <param name="loggerFactory">Where operation outcomes are logged.</param>
    /// <param name="auditSink">Where every call of every region is recorded.</param>
    /// <param name="identityPolicies">The IAM identity policies of callers, shared by every region and account.</param>
    public VaultlibHost(VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
        : this(null, null, options, timeProvider, loggerFactory, auditSink, identityPolicies)
    {
    }

    private VaultlibHost(string? directory, Func<VaultRootKey>? rootKey, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
    {
        DefaultOptions = VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions());
        _time = timeProvider ?? TimeProvider.System;
        _loggerFactory = loggerFactory;
        _auditSink = auditSink;
        _directory = directory;
        _rootKey = rootKey;
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        Scheduler = new VaultlibScheduler(_time, loggerFactory);
    }

    /// <summary>
    /// A host that keeps every region on disk under <paramref name="directory"/>, encrypted at rest
    /// under the root key: the default region in <c>kms/</c>, every other (account, region) in
    /// <c>&lt;account&gt;/&lt;region&gt;/kms/</c>. The root key is asked for each time a region's store opens;
    /// the caller keeps ownership of it.
    /// </summary>
    /// <exception cref="ArgumentException">The directory is empty.</exception>
    public static VaultlibHost PersistToFileSystem(string directory, Func<VaultRootKey> rootKey, VaultlibOptions? options = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, IAuditSink? auditSink = null, IdentityPolicyStore? identityPolicies = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(rootKey);
        return new VaultlibHost(Path.GetFullPath(directory), rootKey, options, timeProvider, loggerFactory, auditSink, identityPolicies);
    }

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

    private KeyService CreateKeyService(VaultlibOptions options)
    {
        KeyService service;
        if (_directory is null)
        {
            service = new InMemoryKeyService(options, _time, _loggerFactory, _auditSink, IdentityPolicies);
        }
        else
        {
            bool isDefault = options.Region == DefaultOptions.Region && options.AccountId == DefaultOptions.AccountId;
            string directory = isDefault ? Path.Combine(_directory, "kms") : Path.Combine(_directory, options.AccountId, options.Region, "kms");
            service = new FileSystemKeyService(directory, _rootKey!(), options, _time, _loggerFactory, _auditSink, IdentityPolicies);
        }

        Scheduler.Add(service.ScheduledWork);
        return service;
    }

    /// <summary>Stops the scheduler, then disposes every region's services (zeroing their key material).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Scheduler.Dispose();
        foreach (Lazy<KeyService> service in _keyServices.Values)
        {
            if (service.IsValueCreated)
            {
                service.Value.Dispose();
            }
        }
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"VaultlibHost({DefaultOptions.Region}, {DefaultOptions.AccountId}, {_keyServices.Count} regions)";
}
