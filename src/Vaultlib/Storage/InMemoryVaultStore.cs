namespace Vaultlib.Storage;

/// <summary>
/// A store in process memory: for tests and fakes, and for services that need no durability.
/// It keeps the full contract of <see cref="IVaultStore"/> (versions, atomic transactions, a change
/// feed, leases), so services behave the same over it as over a durable store. Thread-safe.
/// </summary>
public sealed class InMemoryVaultStore : IVaultStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<RecordKey, StoredRecord> _records = [];
    private readonly Dictionary<RecordKey, long> _lastVersion = [];
    private readonly Dictionary<string, List<(RecordChange Change, DateTimeOffset CommittedAt)>> _changes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Holder, DateTimeOffset Expires)> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private TaskCompletionSource _changed = NewSignal();
    private long _position;

    /// <summary>Creates an empty store; leases expire on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public InMemoryVaultStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Location => "memory";

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new([.. _records.Keys.Select(k => k.Service).Distinct().Order(StringComparer.Ordinal)]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<StoreSnapshot> ReadAllAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        lock (_gate)
        {
            return new(new StoreSnapshot([.. _records.Values.Where(r => r.Key.Service == service)], _position));
        }
    }

    /// <inheritdoc/>
    public ValueTask<StoredRecord?> ReadAsync(RecordKey key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return new(_records.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc/>
    public ValueTask<CommitResult> CommitAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckTransaction(writes);
        TaskCompletionSource signal;
        long position;
        var versions = new long[writes.Count];
        lock (_gate)
        {
            foreach (RecordWrite write in writes)
            {
                long current = _records.TryGetValue(write.Key, out StoredRecord? record) ? record.Version : 0;
                if (current != write.ExpectedVersion)
                {
                    throw new RecordConflictException(write.Key, write.ExpectedVersion, current);
                }
            }

            position = ++_position;
            string service = writes[0].Key.Service;
            DateTimeOffset committedAt = _time.GetUtcNow();
            if (!_changes.TryGetValue(service, out List<(RecordChange, DateTimeOffset)>? feed))
            {
                _changes[service] = feed = [];
            }

            for (int i = 0; i < writes.Count; i++)
            {
                RecordWrite write = writes[i];
                // Versions keep growing across a delete and re-create, so a stale writer can never match.
                long version = Math.Max(write.ExpectedVersion, _lastVersion.GetValueOrDefault(write.Key)) + 1;
                _lastVersion[write.Key] = version;
                versions[i] = version;
                if (write.IsDelete)
                {
                    _records.Remove(write.Key);
                }
                else
                {
                    _records[write.Key] = new StoredRecord(write.Key, version, write.Data.ToArray());
                }

                feed.Add((new RecordChange(position, write.Key, version, write.IsDelete), committedAt));
            }

            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return new(new CommitResult(position, versions));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<RecordChange>> ReadChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_changes.TryGetValue(service, out List<(RecordChange Change, DateTimeOffset CommittedAt)>? feed))
            {
                return new([]);
            }

            // Positions only grow: find the first change after the reader's position instead of scanning the whole feed.
            int low = 0, high = feed.Count;
            while (low < high)
            {
                int middle = (low + high) >>> 1;
                (low, high) = feed[middle].Change.Position > afterPosition ? (low, middle) : (middle + 1, high);
            }

            DateTimeOffset now = _time.GetUtcNow();
            var changes = new RecordChange[feed.Count - low];
            for (int i = low; i < feed.Count; i++)
            {
                changes[i - low] = feed[i].Change with { Age = now - feed[i].CommittedAt };
            }

            return new(changes);
        }
    }

    /// <inheritdoc/>
    public Task WaitForChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_changes.TryGetValue(service, out List<(RecordChange Change, DateTimeOffset)>? feed) && feed.Count > 0 && feed[^1].Change.Position > afterPosition)
            {
                return Task.CompletedTask;
            }

            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_leases.TryGetValue(name, out var lease) && lease.Holder != holder && lease.Expires > now)
            {
                return new(false);
            }

            _leases[name] = (holder, now + duration);
            return new(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(name, out var lease) && lease.Holder == holder)
            {
                _leases.Remove(name);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing to release.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Test hook: replaces a stored record's bytes and version as someone with write access to the store could.</summary>
    internal void TamperForTests(StoredRecord record)
    {
        lock (_gate)
        {
            _records[record.Key] = record;
        }
    }

    /// <summary>Test hook: removes a stored record behind the feed's back.</summary>
    internal void RemoveForTests(RecordKey key)
    {
        lock (_gate)
        {
            _records.Remove(key);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>The checks every store applies to a transaction before it touches anything.</summary>
internal static class StoreRules
{
    public static void CheckTransaction(IReadOnlyList<RecordWrite> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            throw new ArgumentException("A transaction writes at least one record.", nameof(writes));
        }

        string service = writes[0].Key.Service;
        var seen = new HashSet<RecordKey>();
        foreach (RecordWrite write in writes)
        {
            ArgumentNullException.ThrowIfNull(write);
            CheckKey(write.Key);
            if (write.Key.Service != service)
            {
                throw new ArgumentException("A transaction writes the records of one service only.", nameof(writes));
            }

            if (write.ExpectedVersion < 0)
            {
                throw new ArgumentException($"The expected version of {write.Key} is negative.", nameof(writes));
            }

            if (!seen.Add(write.Key))
            {
                throw new ArgumentException($"A transaction writes {write.Key} more than once.", nameof(writes));
            }
        }
    }

    public static void CheckKey(RecordKey key)
    {
        if (string.IsNullOrEmpty(key.Service) || string.IsNullOrEmpty(key.Collection) || string.IsNullOrEmpty(key.Id))
        {
            throw new ArgumentException("A record key names its service, collection and id.", nameof(key));
        }
    }
}
