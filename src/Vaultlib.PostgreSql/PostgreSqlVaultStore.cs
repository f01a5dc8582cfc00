// This file is over 400 lines on purpose: the store is one implementation of the whole IVaultStore seam
// (records, atomic commits, the change feed, leases) over one connection model, and its SQL is read and reviewed together.

using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Npgsql;
using Vaultlib.Storage;

namespace Vaultlib.PostgreSql;

/// <summary>
/// A vault store in PostgreSQL, so that every instance of a fleet shares one vault. Transactions
/// are serialized on one feed row, which makes the change feed's positions follow commit order;
/// each commit notifies the others with <c>NOTIFY</c>, and each instance listens on a connection of
/// its own, re-reading the feed after every reconnect (notifications are not replayed) and at
/// <see cref="PostgreSqlVaultStoreOptions.PollInterval"/> in any case. Leases live in a table.
/// The schema is created and migrated when the store opens. Records reach the database sealed.
/// </summary>
public sealed partial class PostgreSqlVaultStore : IVaultStore
{
    private const int SchemaVersion = 2;

    // The server's clock in milliseconds: commit times and their age are both read on it, so instances' clocks never skew the feed's delay.
    private const string ServerMilliseconds = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";
    private const string Channel = "vaultlib_changes";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlVaultStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly string _schema;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _listener = Task.CompletedTask;
    private int _disposed;

    private PostgreSqlVaultStore(NpgsqlDataSource dataSource, PostgreSqlVaultStoreOptions options, TimeProvider time)
    {
        _dataSource = dataSource;
        _options = options;
        _time = time;
        _schema = options.Schema;
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Location = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database}/{_schema}";
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>Connects, creates or migrates the schema, and starts listening for other instances' commits.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="options">The schema and the poll interval.</param>
    /// <param name="timeProvider">The clock leases expire on.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="VaultStoreException">The schema belongs to a newer Vaultlib, or the database refused.</exception>
    public static async Task<PostgreSqlVaultStore> OpenAsync(string connectionString, PostgreSqlVaultStoreOptions? options = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        options ??= new PostgreSqlVaultStoreOptions();
        if (!SchemaName().IsMatch(options.Schema))
        {
            throw new ArgumentException("The schema name is 1-63 characters of a-z, 0-9 and '_', starting with a letter.", nameof(options));
        }

        NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new PostgreSqlVaultStore(dataSource, options, timeProvider ?? TimeProvider.System);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        store._listener = Task.Run(() => store.ListenAsync(store._stop.Token), CancellationToken.None);
        return store;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT DISTINCT service FROM {_schema}.records WHERE data IS NOT NULL ORDER BY service");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var services = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            services.Add(reader.GetString(0));
        }

        return services;
    }

    /// <inheritdoc/>
    public async ValueTask<StoreSnapshot> ReadAllAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var records = new List<StoredRecord>();
        await using (var command = new NpgsqlCommand($"SELECT collection, id, version, data FROM {_schema}.records WHERE service = $1 AND data IS NOT NULL", connection, snapshot))
        {
            command.Parameters.AddWithValue(service);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(new StoredRecord(new RecordKey(service, reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
            }
        }

        long position;
        await using (var command = new NpgsqlCommand($"SELECT position FROM {_schema}.feed WHERE only_row = 1", connection, snapshot))
        {
            position = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await snapshot.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new StoreSnapshot(records, position);
    }

    /// <inheritdoc/>
    public async ValueTask<StoredRecord?> ReadAsync(RecordKey key, CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT version, data FROM {_schema}.records WHERE service = $1 AND collection = $2 AND id = $3 AND data IS NOT NULL");
        command.Parameters.AddWithValue(key.Service);
        command.Parameters.AddWithValue(key.Collection);
        command.Parameters.AddWithValue(key.Id);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredRecord(key, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }

    /// <inheritdoc/>
    public async ValueTask<CommitResult> CommitAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0 || writes.Any(w => w is null) || writes.Select(w => w.Key).Distinct().Count() != writes.Count || writes.Any(w => w.Key.Service != writes[0].Key.Service || w.ExpectedVersion < 0 || string.IsNullOrEmpty(w.Key.Collection) || string.IsNullOrEmpty(w.Key.Id)))
        {
            throw new ArgumentException("A transaction writes one or more distinct, well-named records of one service, at expected versions of 0 or more.", nameof(writes));
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // The feed row is the one lock every commit takes first: commits are serialized, so feed
        // positions follow commit order and a reader never sees position n+1 before n.
        long position;
        await using (var next = new NpgsqlCommand($"UPDATE {_schema}.feed SET position = position + 1 WHERE only_row = 1 RETURNING position", connection, transaction))
        {
            position = (long)(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var versions = new long[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            RecordWrite write = writes[i];
            long stored = 0;
            bool exists = false;
            await using (var read = new NpgsqlCommand($"SELECT version, data IS NOT NULL FROM {_schema}.records WHERE service = $1 AND collection = $2 AND id = $3", connection, transaction))
            {
                read.Parameters.AddWithValue(write.Key.Service);
                read.Parameters.AddWithValue(write.Key.Collection);
                read.Parameters.AddWithValue(write.Key.Id);
                await using NpgsqlDataReader reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    (stored, exists) = (reader.GetInt64(0), reader.GetBoolean(1));
                }
            }

            long current = exists ? stored : 0;
            if (current != write.ExpectedVersion)
            {
                throw new RecordConflictException(write.Key, write.ExpectedVersion, current);
            }

            // Versions keep growing across a delete and re-create (the row stays, without data).
            versions[i] = Math.Max(stored, write.ExpectedVersion) + 1;
            await using (var upsert = new NpgsqlCommand(
                $"INSERT INTO {_schema}.records (service, collection, id, version, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (service, collection, id) DO UPDATE SET version = excluded.version, data = excluded.data",
                connection,
                transaction))
            {
                upsert.Parameters.AddWithValue(write.Key.Service);
                upsert.Parameters.AddWithValue(write.Key.Collection);
                upsert.Parameters.AddWithValue(write.Key.Id);
                upsert.Parameters.AddWithValue(versions[i]);
                upsert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea, Value = write.IsDelete ? DBNull.Value : write.Data.ToArray() });
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var change = new NpgsqlCommand($"INSERT INTO {_schema}.changes (position, service, collection, id, version, deleted, committed_at) VALUES ($1, $2, $3, $4, $5, $6, {ServerMilliseconds})", connection, transaction);
            change.Parameters.AddWithValue(position);
            change.Parameters.AddWithValue(write.Key.Service);
            change.Parameters.AddWithValue(write.Key.Collection);
            change.Parameters.AddWithValue(write.Key.Id);
            change.Parameters.AddWithValue(versions[i]);
            change.Parameters.AddWithValue(write.IsDelete);
            await change.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction))
        {
            notify.Parameters.AddWithValue(Channel);
            notify.Parameters.AddWithValue($"{_schema}:{writes[0].Key.Service}");
            await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        Signal(writes[0].Key.Service);
        return new CommitResult(position, versions);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<RecordChange>> ReadChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"SELECT position, collection, id, version, deleted, {ServerMilliseconds} - committed_at FROM {_schema}.changes WHERE service = $1 AND position > $2 ORDER BY seq");
        command.Parameters.AddWithValue(service);
        command.Parameters.AddWithValue(afterPosition);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<RecordChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new RecordChange(reader.GetInt64(0), new RecordKey(service, reader.GetString(1), reader.GetString(2)), reader.GetInt64(3), reader.GetBoolean(4))
            {
                Age = reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(5)),
            });
        }

        return changes;
    }

    /// <inheritdoc/>
    public async Task WaitForChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task signalled = _signals.GetOrAdd(service, _ => NewSignal()).Task;
            await using (NpgsqlCommand command = _dataSource.CreateCommand($"SELECT EXISTS (SELECT 1 FROM {_schema}.changes WHERE service = $1 AND position > $2)"))
            {
                command.Parameters.AddWithValue(service);
                command.Parameters.AddWithValue(afterPosition);
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return;
                }
            }

            // A notification wakes at once; the poll bounds the delay if one is lost (a reconnect).
            await Task.WhenAny(signalled, Task.Delay(_options.PollInterval, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using NpgsqlCommand command = _dataSource.CreateCommand(
            $"INSERT INTO {_schema}.leases (name, holder, expires) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires WHERE {_schema}.leases.holder = excluded.holder OR {_schema}.leases.expires <= $4 RETURNING holder");
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(holder);
        command.Parameters.AddWithValue(now + (long)duration.TotalMilliseconds);
        command.Parameters.AddWithValue(now);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc/>
    public async ValueTask ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        await using NpgsqlCommand command = _dataSource.CreateCommand($"DELETE FROM {_schema}.leases WHERE name = $1 AND holder = $2");
        command.Parameters.AddWithValue(name);
        command.Parameters.AddWithValue(holder);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops listening and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _listener.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // One migrator at a time, however many instances start together.
        await using (var gate = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            gate.Parameters.AddWithValue($"vaultlib-migrate:{_schema}");
            await gate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {_schema};
            CREATE TABLE IF NOT EXISTS {_schema}.schema_version (only_row INTEGER PRIMARY KEY CHECK (only_row = 1), version INTEGER NOT NULL);
            """,
            connection,
            transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version;
        await using (var read = new NpgsqlCommand($"SELECT version FROM {_schema}.schema_version WHERE only_row = 1", connection, transaction))
        {
            version = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        }

        if (version > SchemaVersion)
        {
            throw new VaultStoreException(VaultStoreFailure.InvalidHeader, Location, $"The vault schema in '{Location}' is at version {version}, newer than this Vaultlib knows ({SchemaVersion}); upgrade Vaultlib.");
        }

        if (version < 1)
        {
            await using var migrate = new NpgsqlCommand(
                $"""
                CREATE TABLE {_schema}.records (
                    service TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL,
                    version BIGINT NOT NULL, data BYTEA,
                    PRIMARY KEY (service, collection, id));
                CREATE TABLE {_schema}.changes (
                    seq BIGSERIAL PRIMARY KEY, position BIGINT NOT NULL,
                    service TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL,
                    version BIGINT NOT NULL, deleted BOOLEAN NOT NULL);
                CREATE INDEX changes_by_service ON {_schema}.changes (service, position);
                CREATE TABLE {_schema}.feed (only_row INTEGER PRIMARY KEY CHECK (only_row = 1), position BIGINT NOT NULL);
                INSERT INTO {_schema}.feed (only_row, position) VALUES (1, 0);
                CREATE TABLE {_schema}.leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires BIGINT NOT NULL);
                INSERT INTO {_schema}.schema_version (only_row, version) VALUES (1, 1);
                """,
                connection,
                transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (version < 2)
        {
            // Version 2: each change's commit time, for the change feed's delay (older changes have none).
            await using var migrate = new NpgsqlCommand(
                $"ALTER TABLE {_schema}.changes ADD COLUMN committed_at BIGINT; UPDATE {_schema}.schema_version SET version = 2 WHERE only_row = 1;",
                connection,
                transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Listens for other instances' commits on a connection of its own; after a reconnect, every waiter re-reads the feed.</summary>
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    int colon = e.Payload.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0 && e.Payload.AsSpan(0, colon).SequenceEqual(_schema))
                    {
                        Signal(e.Payload[(colon + 1)..]);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Notifications sent while no connection listened are lost: wake every waiter to re-read.
                SignalAll();
                while (!cancellationToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or InvalidOperationException)
            {
                SignalAll();
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Signal(string service)
    {
        if (_signals.TryRemove(service, out TaskCompletionSource? signal))
        {
            signal.TrySetResult();
        }
    }

    private void SignalAll()
    {
        foreach (string service in _signals.Keys)
        {
            Signal(service);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}

/// <summary>Settings of a <see cref="PostgreSqlVaultStore"/>.</summary>
public sealed class PostgreSqlVaultStoreOptions
{
    /// <summary>The schema the vault's tables live in; one vault per schema. Default <c>vaultlib</c>.</summary>
    public string Schema { get; init; } = "vaultlib";

    /// <summary>How often an instance re-reads the feed when no notification arrives (the bound on staleness if a notification is lost). Default one second.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
