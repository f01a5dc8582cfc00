using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Pipeline;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Vaultlib.Secrets;

/// <summary>
/// The state of Secrets Manager in one region of one account: every secret, kept in the vault as the service
/// <c>secretsmanager/&lt;region&gt;/&lt;account&gt;</c> (one record per secret, its sealed versions inside), and an
/// in-memory view by name. Secrets scheduled for deletion are purged when their window ends, by the scheduler, or
/// when next touched. Persistence is <see cref="RecordTable"/>'s.
/// </summary>
internal sealed partial class SecretTable : RecordTable, IScheduledWork
{
    private const string SecretsCollection = "secrets";

    private readonly ConcurrentDictionary<string, SecretRecord> _secrets = new(StringComparer.Ordinal);
    private readonly bool _ownsKeys;

    public SecretTable(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies, KeyService? keys, SecretRotationFunctions? rotationFunctions)
        : base(vault, ownsVault, VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions()), timeProvider ?? TimeProvider.System, "secretsmanager", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Secrets.SecretStore"))
    {
        IdentityPolicies = identityPolicies ?? keys?.IdentityPolicies ?? new IdentityPolicyStore();
        RotationFunctions = rotationFunctions ?? new SecretRotationFunctions();
        _ownsKeys = keys is null;
        Keys = keys ?? new InMemoryKeyService(Options, Time, loggerFactory, auditSink, IdentityPolicies);
        Authorizer = new SmAuthorizer(Options, IdentityPolicies, Time);
        AuditRecorder? audit = auditSink is null ? null : new AuditRecorder(auditSink, SmAudit.Profile, Options, Time, Logger);
        Pipeline = new RequestPipeline(Logger, Authorizer, SmErrors.Instance, audit);
        ArnPrefix = $"arn:{Options.Partition}:secretsmanager:{Options.Region}:{Options.AccountId}:secret:";
        Account = new AccountResource(ArnPrefix + "*");
        LoadAndFollow();
    }

    public RequestPipeline Pipeline { get; }

    public SmAuthorizer Authorizer { get; }

    public IdentityPolicyStore IdentityPolicies { get; }

    /// <summary>The KMS of the same region and account, which encrypts the values.</summary>
    public KeyService Keys { get; }

    /// <summary>Ready AES-GCM instances for the versions read lately (usable only with the data key KMS returns).</summary>
    public SecretCiphers Ciphers { get; } = new();

    /// <summary>The <c>kms:ViaService</c> of this region's Secrets Manager.</summary>
    public string ViaService => field ??= $"secretsmanager.{Options.Region}.amazonaws.com";

    private volatile ViaCaller? _lastVia;

    /// <summary>A caller and the same caller through Secrets Manager, swapped as one reference so a reader never pairs one caller with another's.</summary>
    private sealed record ViaCaller(CallerIdentity Caller, CallerIdentity Via);

    /// <summary>
    /// <paramref name="caller"/> calling KMS through this Secrets Manager (<c>kms:ViaService</c> set); the last one is
    /// kept, since a store's calls mostly come from one caller.
    /// </summary>
    public CallerIdentity ViaSecretsManager(CallerIdentity caller)
    {
        if (_lastVia is { } last && ReferenceEquals(last.Caller, caller))
        {
            return last.Via;
        }

        CallerIdentity via = caller with { ViaService = ViaService };
        _lastVia = new ViaCaller(caller, via);
        return via;
    }

    /// <summary>The account itself, for operations that name no secret.</summary>
    public AccountResource Account { get; }

    /// <summary>What every secret ARN here begins with: <c>arn:aws:secretsmanager:&lt;region&gt;:&lt;account&gt;:secret:</c>.</summary>
    public string ArnPrefix { get; }

    /// <summary>Every secret, including those scheduled for deletion, in no order.</summary>
    public ICollection<SecretRecord> All => _secrets.Values;

    /// <summary>The secret named <paramref name="name"/> as held.</summary>
    public SecretRecord? FindByName(string name) => _secrets.GetValueOrDefault(name);

    /// <summary>The secret a <c>SecretId</c> names (by name, full ARN or partial ARN), with a purge that has fallen due applied first.</summary>
    /// <remarks>A secret this view does not hold may have been made a moment ago by another instance sharing the vault: the view reads the store's changes once before answering that it does not exist.</remarks>
    public async ValueTask<SecretRecord?> FindAsync(string secretId, CancellationToken cancellationToken)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            foreach ((string name, string? arn) in SecretNames.Candidates(secretId, ArnPrefix))
            {
                if (_secrets.TryGetValue(name, out SecretRecord? record) && (arn is null || record.Arn == arn))
                {
                    return record.PurgeDate <= Now ? await PurgeDueAsync(name, cancellationToken).ConfigureAwait(false) : record;
                }
            }

            if (attempt == 0)
            {
                await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>Applies <paramref name="change"/> to the secret named (null when there is none) and commits what it returns (null purges); then, unless told not to, brings its replicas in line.</summary>
    public ValueTask<SecretRecord?> ChangeAsync(string name, Func<SecretRecord?, SecretRecord?> change, CancellationToken cancellationToken, bool syncReplicas = true) =>
        ChangeAsync(name, current => new ValueTask<SecretRecord?>(change(current)), cancellationToken, syncReplicas);

    /// <summary>As <see cref="ChangeAsync(string, Func{SecretRecord?, SecretRecord?}, CancellationToken, bool)"/>, for a change that awaits (KMS calls), made under the write gate.</summary>
    public async ValueTask<SecretRecord?> ChangeAsync(string name, Func<SecretRecord?, ValueTask<SecretRecord?>> change, CancellationToken cancellationToken, bool syncReplicas = true)
    {
        bool changed = false;
        SecretRecord? updated = await ExclusiveAsync(
            async () =>
            {
                SecretRecord? current = _secrets.GetValueOrDefault(name);
                SecretRecord? next = await change(current).ConfigureAwait(false);
                if (ReferenceEquals(next, current))
                {
                    return current;
                }

                await CommitLockedAsync([next is null ? Delete(current!) : Write(next)], cancellationToken).ConfigureAwait(false);
                changed = true;
                return next;
            },
            cancellationToken).ConfigureAwait(false);

        // Replicas follow once the primary's change is committed, outside its write gate.
        return changed && syncReplicas && updated is { Replicas.Count: > 0 } && !IsReplica(updated)
            ? await SyncReplicasAsync(updated, [], cancellationToken).ConfigureAwait(false)
            : updated;
    }

    /// <summary>
    /// Records the day <paramref name="version"/> of <paramref name="secret"/> was read (AWS keeps the date only), so
    /// a secret read all day is written once a day, not on every read.
    /// </summary>
    public async ValueTask TouchAsync(SecretRecord secret, SecretVersionRecord version, CancellationToken cancellationToken)
    {
        var today = new DateTimeOffset(Now.UtcDateTime.Date, TimeSpan.Zero);
        if (secret.LastAccessedDate == today && version.LastAccessedDate == today)
        {
            return;
        }

        await ChangeAsync(
            secret.Name,
            current => current is null || current.Arn != secret.Arn ? current : current with
            {
                LastAccessedDate = today,
                Versions = [.. current.Versions.Select(v => v.VersionId == version.VersionId ? v with { LastAccessedDate = today } : v)],
            },
            cancellationToken).ConfigureAwait(false);
    }

    private Change Write(SecretRecord record) =>
        new(SecretsCollection, record.Name, JsonSerializer.SerializeToUtf8Bytes(record, SecretRecordJsonContext.Default.SecretRecord), () => Publish(record));

    private Change Delete(SecretRecord record) =>
        new(SecretsCollection, record.Name, null, () =>
        {
            _secrets.TryRemove(record.Name, out _);
            Ciphers.Forget(record.Arn, keep: null);
            Changed?.Invoke(record.Name, record.Arn);
        });

    private event Action<string, string>? Changed;

    /// <summary>Puts the record in the view, and tells the subscribers when what a reader sees changed (not for a read's access date).</summary>
    private void Publish(SecretRecord record)
    {
        SecretRecord? before = _secrets.GetValueOrDefault(record.Name);
        _secrets[record.Name] = record;
        if (before is not null && (before.Arn != record.Arn || !before.Versions.Select(v => v.Ciphertext).SequenceEqual(record.Versions.Select(v => v.Ciphertext), ReferenceEqualityComparer.Instance)))
        {
            Ciphers.Forget(before.Arn, before.Arn == record.Arn ? record.Versions : null);
        }
        if (before is null || before.Arn != record.Arn || Fingerprint(before) != Fingerprint(record))
        {
            Changed?.Invoke(record.Name, record.Arn);
        }
    }

    /// <summary>What readers of a secret see change: which versions hold which labels, and whether it is scheduled for deletion.</summary>
    private static string Fingerprint(SecretRecord secret) =>
        string.Join(';', secret.Versions.Where(v => v.Stages.Count > 0).Select(v => v.VersionId + "=" + string.Join(',', v.Stages))) + "|" + secret.DeletedDate?.UtcTicks;

    /// <summary>
    /// Calls <paramref name="handler"/> with the name and ARN of every secret that changes, here or (through the change
    /// feed) in another instance sharing the vault, once the change is in this view; dispose the result to stop. The
    /// handler runs on the thread that applied the change and must not block.
    /// </summary>
    public IDisposable SubscribeToChanges(Action<string, string> handler)
    {
        Changed += handler;
        return new Subscription(this, handler);
    }

    private sealed class Subscription(SecretTable owner, Action<string, string> handler) : IDisposable
    {
        public void Dispose() => owner.Changed -= handler;
    }

    /// <inheritdoc/>
    public event EventHandler? DueTimeChanged;

    /// <inheritdoc/>
    public string Name => ServiceName;

    /// <inheritdoc/>
    public DateTimeOffset? NextDueTime =>
        _secrets.Values.Select(s => s.PurgeDate).Concat(_secrets.Values.Where(s => s.RotationEnabled && !s.IsDeleted).Select(s => s.NextRotationDate)).Where(d => d is not null).Min();

    /// <inheritdoc/>
    public async ValueTask RunDueAsync(CancellationToken cancellationToken)
    {
        if (IsDisposed)
        {
            return;
        }

        DateTimeOffset now = Now;
        string[] due = [.. _secrets.Values.Where(s => s.PurgeDate <= now).Select(s => s.Name)];
        bool rotationsDue = _secrets.Values.Any(s => s.RotationEnabled && !s.IsDeleted && s.NextRotationDate <= now);
        if ((due.Length == 0 && !rotationsDue)
            || !await TryLeadSchedulerAsync(LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (string name in due)
        {
            await PurgeDueAsync(name, cancellationToken).ConfigureAwait(false);
        }

        await RunDueRotationsAsync(now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Purges the secret when its recovery window has ended; returns it when it has not.</summary>
    private ValueTask<SecretRecord?> PurgeDueAsync(string name, CancellationToken cancellationToken) =>
        ChangeAsync(name, current => current?.PurgeDate <= Now ? null : current, cancellationToken);

    protected override void OnChanged(IReadOnlyList<Change>? committed) => DueTimeChanged?.Invoke(this, EventArgs.Empty);

    protected override void ApplyRecord(RecordKey key, string location, ReadOnlyMemory<byte> plaintext)
    {
        if (key.Collection != SecretsCollection)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is of no collection Secrets Manager keeps.");
        }

        SecretRecord record;
        try
        {
            record = JsonSerializer.Deserialize(plaintext.Span, SecretRecordJsonContext.Default.SecretRecord) ?? throw new JsonException("null secret");
        }
        catch (JsonException ex)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but not a secret this Vaultlib reads.", ex);
        }

        if (record.Name != key.Id)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' holds the secret {record.Name}.");
        }

        Publish(record);
    }

    protected override void RemoveRecord(string collection, string id)
    {
        if (_secrets.TryRemove(id, out SecretRecord? removed))
        {
            Ciphers.Forget(removed.Arn, keep: null);
            Changed?.Invoke(removed.Name, removed.Arn);
        }
    }

    protected override void DisposeView()
    {
        _secrets.Clear();
        Ciphers.Dispose();
        if (_ownsKeys)
        {
            Keys.Dispose();
        }
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"SecretTable({Options.Region}, {Options.AccountId}, {_secrets.Count} secrets)";
}
