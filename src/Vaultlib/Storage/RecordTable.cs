using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Storage;

/// <summary>
/// The persistence every Vaultlib service shares: a service's records in the vault (the service
/// <c>&lt;name&gt;/&lt;region&gt;/&lt;account&gt;</c>), an in-memory view of them, and the rules for
/// changing both. Reads are lock-free over the view. Changes are serialized in this process by one
/// write gate and across processes by the store's compare-and-swap: each is committed (with every
/// record it touches, atomically) before it is published to the view, so an acknowledged change is a
/// durable one. The view follows other processes' commits through the store's change feed.
/// </summary>
/// <remarks>
/// A service derives from this, decodes its records into its view (<see cref="ApplyRecord"/>,
/// <see cref="RemoveRecord"/>), and makes every change as a list of <see cref="Change"/>s inside
/// <see cref="ExclusiveAsync{T}"/>.
/// </remarks>
internal abstract class RecordTable : ServiceCore
{
    // Races are retried after a random pause (ConflictBackoff): 32 losses in a row mean a store that is not moving, not bad luck.
    private const int MaxConflictRetries = 32;

    private readonly bool _ownsVault;
    private readonly ServiceRecords _records;
    private readonly ConcurrentDictionary<(string Collection, string Id), long> _versions = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private long _position;
    private Task _follower = Task.CompletedTask;

    /// <summary>A table over <paramref name="vault"/> whose records are the service <c>&lt;service&gt;/&lt;region&gt;/&lt;account&gt;</c> of <paramref name="options"/>.</summary>
    /// <param name="vault">The vault.</param>
    /// <param name="ownsVault">Whether disposing the table disposes the vault.</param>
    /// <param name="options">The validated region and account.</param>
    /// <param name="time">The clock.</param>
    /// <param name="service">The IAM service prefix: <c>kms</c>, <c>ssm</c>.</param>
    /// <param name="logger">Where the table logs.</param>
    protected RecordTable(Vault vault, bool ownsVault, VaultlibOptions options, TimeProvider time, string service, ILogger logger)
        : base(options, time)
    {
        Vault = vault;
        _ownsVault = ownsVault;
        ServiceName = $"{service}/{options.Region}/{options.AccountId}";
        Logger = logger;
        _records = vault.Records(ServiceName);
    }

    /// <summary>The service's name in the vault, e.g. <c>kms/&lt;region&gt;/&lt;account&gt;</c>.</summary>
    public string ServiceName { get; }

    public ILogger Logger { get; }

    /// <summary>The vault the records live in.</summary>
    protected Vault Vault { get; }

    /// <summary>How long a scheduler lease lasts unless renewed: the holder renews it on every run of due work.</summary>
    public static TimeSpan LeaseDuration { get; } = TimeSpan.FromSeconds(30);

    /// <summary>This instance's name in leases.</summary>
    protected string InstanceId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>Whether this instance held the scheduler lease when it last asked.</summary>
    private bool _leading;

    /// <summary>
    /// Takes (or keeps) the lease that makes this instance the one running the service's scheduled work, among every
    /// instance sharing the store; a change of holder is counted (<c>vaultlib.store.lease.changes</c>).
    /// </summary>
    public async ValueTask<bool> TryLeadSchedulerAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        bool held = await Vault.Store.TryAcquireLeaseAsync($"{ServiceName}/scheduler", InstanceId, duration, cancellationToken).ConfigureAwait(false);
        if (held != _leading)
        {
            _leading = held;
            StoreTelemetry.LeaseChanged(ServiceName, held);
        }

        return held;
    }

    /// <summary>One record a change writes (or deletes, with no plaintext), and what publishing it does to the view once committed.</summary>
    protected readonly record struct Change(string Collection, string Id, byte[]? Plaintext, Action Publish, bool SecretPlaintext = false);

    /// <summary>
    /// Loads every record into the view, then starts following the change feed. Derived constructors
    /// call it last. Loading is synchronous so that a service is usable once constructed; the embedded
    /// and in-memory stores complete synchronously, a network store blocks here once, at start. A store
    /// that fails to load leaves nothing half-loaded: the table disposes itself and rethrows.
    /// </summary>
    protected void LoadAndFollow()
    {
        try
        {
            _position = _records.LoadAsync(Apply, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        catch
        {
            Dispose();
            throw;
        }

        _follower = Task.Run(() => FollowAsync(_stop.Token));
    }

    /// <summary>Decodes one record into the view; a record that is not the service's is <see cref="VaultStoreException"/>.</summary>
    protected abstract void ApplyRecord(RecordKey key, string location, ReadOnlyMemory<byte> plaintext);

    /// <summary>Drops a record that another process deleted from the view (releasing what it holds).</summary>
    protected abstract void RemoveRecord(string collection, string id);

    /// <summary>Called after this instance commits changes, or catches up with others' (for due-time notifications).</summary>
    protected virtual void OnChanged(IReadOnlyList<Change>? committed)
    {
    }

    /// <summary>Work a change queued for after the write gate is released (a change of another service or Region).</summary>
    protected virtual ValueTask AfterWriteAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Releases the view's secrets. Called once, on disposal, after the feed follower has stopped.</summary>
    protected abstract void DisposeView();

    /// <summary>
    /// Runs <paramref name="work"/> under the write gate; when another instance committed first (a
    /// compare-and-swap conflict), catches up with the feed and runs it again. Then runs the queued
    /// follow-ups, with the gate released.
    /// </summary>
    protected async ValueTask<T> ExclusiveAsync<T>(Func<ValueTask<T>> work, CancellationToken cancellationToken)
    {
        T result;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int tries = 1; ; tries++)
            {
                try
                {
                    result = await work().ConfigureAwait(false);
                    break;
                }
                catch (RecordConflictException) when (tries < MaxConflictRetries)
                {
                    // Stryker disable once Statement : a random pause between retries, which no test can observe
                    await ConflictBackoff.DelayAsync(tries, cancellationToken).ConfigureAwait(false);
                    await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }

        await AfterWriteAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Builds the changes under the write gate and commits them, re-building after a race with another instance.</summary>
    protected async ValueTask WriteAsync(Func<List<Change>> build, CancellationToken cancellationToken) =>
        await ExclusiveAsync(
            async () =>
            {
                await CommitLockedAsync(build(), cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Commits the changes atomically at the versions this view holds, then publishes them. Callers hold the write gate (inside <see cref="ExclusiveAsync{T}"/>).</summary>
    protected async ValueTask CommitLockedAsync(List<Change> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        // A delete carries no plaintext at all. (A bare null here would become an empty ReadOnlyMemory
        // through the implicit conversion from byte[], and write an empty record instead of deleting.)
        PlainWrite[] writes = [.. changes.Select(c => new PlainWrite(c.Collection, c.Id, _versions.GetValueOrDefault((c.Collection, c.Id)), c.Plaintext is null ? (ReadOnlyMemory<byte>?)null : c.Plaintext))];
        CommitResult result;
        try
        {
            result = await _records.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (Change change in changes.Where(c => c.SecretPlaintext && c.Plaintext is not null))
            {
                CryptographicOperations.ZeroMemory(change.Plaintext);
            }
        }

        // When no other commit came between this view's position and this one, the view is current:
        // move it on, so that the feed follower does not wake for this instance's own commit.
        if (result.Position == Volatile.Read(ref _position) + 1)
        {
            Volatile.Write(ref _position, result.Position);
        }

        for (int i = 0; i < changes.Count; i++)
        {
            if (changes[i].Plaintext is null)
            {
                _versions.TryRemove((changes[i].Collection, changes[i].Id), out _);
            }
            else
            {
                _versions[(changes[i].Collection, changes[i].Id)] = result.Versions[i];
            }

            changes[i].Publish();
        }

        OnChanged(changes);
    }

    /// <summary>Stops following the feed, releases the view, and the vault when this table owns it.</summary>
    protected sealed override void DisposeCore()
    {
        _stop.Cancel();
        try
        {
            _follower.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The follower ends with its cancellation.
        }

        DisposeView();
        if (_ownsVault)
        {
            Vault.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>Decodes one loaded record into the view (the store hands it over sealed, opened just for this call).</summary>
    private void Apply(RecordKey key, long version, ReadOnlyMemory<byte> plaintext)
    {
        ApplyRecord(key, key.ToString(), plaintext);
        _versions[(key.Collection, key.Id)] = version;
    }

    /// <summary>Follows the change feed: other instances' commits reach this view within the store's delay.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Vault.Store.WaitForChangesAsync(ServiceName, Volatile.Read(ref _position), cancellationToken).ConfigureAwait(false);
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _writeGate.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is VaultlibException or IOException or InvalidOperationException or System.Data.Common.DbException)
            {
                Log.ChangeFeedFailed(Logger, ServiceName, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// What <paramref name="find"/> finds in the view; when it finds nothing, what it finds after the store's
    /// changes have been read once (another instance may have just made it).
    /// </summary>
    protected async ValueTask<T?> FindOrCatchUpAsync<T>(Func<T?> find, CancellationToken cancellationToken)
        where T : class
    {
        if (find() is { } found)
        {
            return found;
        }

        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return find();
    }

    /// <summary>
    /// A write of a record that carries a private key: the key is exported (PKCS#8) only into the bytes
    /// <paramref name="serialize"/> makes, which are sealed and zeroed once committed (<see cref="Change.SecretPlaintext"/>),
    /// and the exported key itself is zeroed as soon as they are made.
    /// </summary>
    /// <param name="collection">The record's collection.</param>
    /// <param name="id">The record's id.</param>
    /// <param name="key">The key to put in the record (none: <paramref name="serialize"/> gets null).</param>
    /// <param name="serialize">The record's plaintext with the PKCS#8 key inside.</param>
    /// <param name="publish">What publishing the committed record does to the view.</param>
    protected static Change WriteWithPrivateKey(string collection, string id, AsymmetricAlgorithm? key, Func<byte[]?, byte[]> serialize, Action publish)
    {
        byte[]? pkcs8 = key?.ExportPkcs8PrivateKey();
        try
        {
            return new Change(collection, id, serialize(pkcs8), publish, SecretPlaintext: true);
        }
        finally
        {
            if (pkcs8 is not null)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }

    /// <summary>The id at the end of an ARN that is <paramref name="prefix"/> and one more path segment; null for anything else.</summary>
    protected static string? IdAfter(string prefix, string? arn) =>
        arn is not null && arn.StartsWith(prefix, StringComparison.Ordinal) && arn.Length > prefix.Length && arn.IndexOf('/', prefix.Length) < 0
            ? arn[prefix.Length..]
            : null;

    /// <summary>Brings the view up to the store now, instead of when the change feed next wakes (a lookup that missed).</summary>
    protected async ValueTask CatchUpAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Applies every change committed after this view's position. Callers hold the write gate.</summary>
    private async ValueTask CatchUpLockedAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RecordChange> changes = await Vault.Store.ReadChangesAsync(ServiceName, Volatile.Read(ref _position), cancellationToken).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            return;
        }

        var latest = new Dictionary<(string, string), RecordChange>();
        foreach (RecordChange change in changes.Where(c => c.Key.Collection != ServiceRecords.ManifestCollection))
        {
            latest[(change.Key.Collection, change.Key.Id)] = change;
        }

        foreach (((string collection, string id), RecordChange change) in latest)
        {
            bool known = _versions.TryGetValue((collection, id), out long version);
            if (!change.Deleted && known && change.Version <= version)
            {
                continue; // this view has it already (our own commit, or a newer read)
            }

            if (change.Deleted && !known)
            {
                continue;
            }

            StoreTelemetry.ChangeApplied(ServiceName, change.Age);
            bool present = !change.Deleted && await _records.ReadAsync(collection, id, Apply, cancellationToken).ConfigureAwait(false);
            if (!present)
            {
                _versions.TryRemove((collection, id), out _);
                RemoveRecord(collection, id);
            }
        }

        Volatile.Write(ref _position, changes[^1].Position);
        OnChanged(null);
    }
}
