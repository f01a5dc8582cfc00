// This file is over 400 lines on purpose: the store is one implementation of the whole IVaultStore seam
// (records, atomic commits, the change feed, leases) over one connection model, and its SQL is read and reviewed together.

using Microsoft.Data.Sqlite;

namespace Vaultlib.Storage;

/// <summary>How much a commit to a <see cref="SqliteVaultStore"/> survives once acknowledged.</summary>
public enum SqliteDurability
{
    /// <summary>
    /// The process being killed (SIGKILL, a crash): the commit is in the operating system's hands
    /// when acknowledged (WAL with <c>synchronous=NORMAL</c>). An operating system crash or power loss
    /// can lose the last commits, never corrupt the vault. The default.
    /// </summary>
    ProcessCrash,

    /// <summary>Power loss too: every commit is flushed to the disk before it is acknowledged (<c>synchronous=FULL</c>), about a disk flush per write.</summary>
    PowerLoss,
}

/// <summary>
/// The embedded store: one SQLite file per vault, in WAL mode. Several processes on one host may
/// open the same file: SQLite's own locking serializes their transactions, and each process follows
/// the others' commits through the change feed within <see cref="PollInterval"/>. What an
/// acknowledged commit survives is <see cref="Durability"/>. The file, its WAL and its directory
/// are private to their owner.
/// </summary>
public sealed class SqliteVaultStore : IVaultStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS records (
            service TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL,
            version INTEGER NOT NULL, data BLOB,
            PRIMARY KEY (service, collection, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, position INTEGER NOT NULL,
            service TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL,
            version INTEGER NOT NULL, deleted INTEGER NOT NULL, committed_at INTEGER);
        CREATE INDEX IF NOT EXISTS changes_by_service ON changes (service, position);
        CREATE TABLE IF NOT EXISTS feed (only INTEGER PRIMARY KEY CHECK (only = 1), position INTEGER NOT NULL);
        INSERT OR IGNORE INTO feed (only, position) VALUES (1, 0);
        CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL);
        """;

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly Lock _writeGate = new();
    private SqliteConnection? _writer;
    private TaskCompletionSource _localCommit = NewSignal();
    private int _disposed;

    private SqliteVaultStore(string path, TimeProvider time)
    {
        Location = path;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <inheritdoc/>
    public string Location { get; }

    /// <summary>How often a process looks for commits made by other processes (the bound on how stale its view can be). Default 50 ms.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>What an acknowledged commit survives. Default <see cref="SqliteDurability.ProcessCrash"/>.</summary>
    public SqliteDurability Durability { get; init; } = SqliteDurability.ProcessCrash;

    /// <summary>Opens (or creates) the vault file at <paramref name="path"/>.</summary>
    /// <param name="path">The vault file; its directory is created, private to its owner, when missing.</param>
    /// <param name="timeProvider">The clock leases expire on; the system clock when null.</param>
    /// <exception cref="VaultStoreException">The file is not a Vaultlib vault, or cannot be opened.</exception>
    public static SqliteVaultStore Open(string path, TimeProvider? timeProvider = null) => Open(path, SqliteDurability.ProcessCrash, timeProvider);

    /// <summary>Opens (or creates) the vault file at <paramref name="path"/> with the given <paramref name="durability"/>.</summary>
    /// <param name="path">The vault file; its directory is created, private to its owner, when missing.</param>
    /// <param name="durability">What an acknowledged commit survives.</param>
    /// <param name="timeProvider">The clock leases expire on; the system clock when null.</param>
    /// <exception cref="VaultStoreException">The file is not a Vaultlib vault, or cannot be opened.</exception>
    public static SqliteVaultStore Open(string path, SqliteDurability durability, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        PrivateFiles.CreateDirectory(Path.GetDirectoryName(full)!);
        PrivateFiles.Touch(full);
        var store = new SqliteVaultStore(full, timeProvider ?? TimeProvider.System) { Durability = durability };
        try
        {
            using SqliteConnection connection = store.Connect();
            long tables = Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
            long ours = Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('records', 'changes', 'feed', 'leases')");
            if (tables > 0 && ours < 4)
            {
                // Never add a vault's tables to someone else's database.
                throw new VaultStoreException(VaultStoreFailure.InvalidHeader, full, $"The file '{full}' is an SQLite database, but not a Vaultlib vault; refusing to create a vault in it.");
            }

            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, Schema);
            if (Scalar(connection, "SELECT count(*) FROM pragma_table_info('changes') WHERE name = 'committed_at'") == 0)
            {
                Execute(connection, "ALTER TABLE changes ADD COLUMN committed_at INTEGER;"); // a vault made before commit times were kept
            }
        }
        catch (SqliteException ex)
        {
            throw new VaultStoreException(VaultStoreFailure.InvalidHeader, full, $"The file '{full}' is not a Vaultlib vault that SQLite can open ({ex.SqliteErrorCode}).", ex);
        }

        return store;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, "SELECT DISTINCT service FROM records WHERE data IS NOT NULL ORDER BY service");
        using SqliteDataReader reader = command.ExecuteReader();
        var services = new List<string>();
        while (reader.Read())
        {
            services.Add(reader.GetString(0));
        }

        return new(services);
    }

    /// <inheritdoc/>
    public ValueTask<StoreSnapshot> ReadAllAsync(string service, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        using SqliteConnection connection = Connect();
        using SqliteTransaction read = connection.BeginTransaction(deferred: true);
        var records = new List<StoredRecord>();
        using (SqliteCommand command = Command(connection, "SELECT collection, id, version, data FROM records WHERE service = $s AND data IS NOT NULL", ("$s", service)))
        using (SqliteDataReader reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                records.Add(new StoredRecord(new RecordKey(service, reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
            }
        }

        long position = Scalar(connection, "SELECT position FROM feed WHERE only = 1");
        read.Commit();
        return new(new StoreSnapshot(records, position));
    }

    /// <inheritdoc/>
    public ValueTask<StoredRecord?> ReadAsync(RecordKey key, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckKey(key);
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, "SELECT version, data FROM records WHERE service = $s AND collection = $c AND id = $i AND data IS NOT NULL", ("$s", key.Service), ("$c", key.Collection), ("$i", key.Id));
        using SqliteDataReader reader = command.ExecuteReader();
        return new(reader.Read() ? new StoredRecord(key, reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null);
    }

    /// <inheritdoc/>
    public ValueTask<CommitResult> CommitAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken = default)
    {
        StoreRules.CheckTransaction(writes);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        long position;
        var versions = new long[writes.Count];

        // One long-lived connection writes for this process (SQLite has one writer at a time anyway):
        // no pool round trip per commit. Other processes' writers wait on SQLite's own lock.
        lock (_writeGate)
        {
            SqliteConnection connection = _writer ??= Connect();
            using (SqliteTransaction transaction = connection.BeginTransaction(deferred: false))
            {
                for (int i = 0; i < writes.Count; i++)
                {
                    RecordKey key = writes[i].Key;
                    using SqliteCommand read = Command(connection, "SELECT version, data IS NOT NULL FROM records WHERE service = $s AND collection = $c AND id = $i", ("$s", key.Service), ("$c", key.Collection), ("$i", key.Id));
                    using SqliteDataReader reader = read.ExecuteReader();
                    (long stored, bool exists) = reader.Read() ? (reader.GetInt64(0), reader.GetBoolean(1)) : (0L, false);
                    long current = exists ? stored : 0;
                    if (current != writes[i].ExpectedVersion)
                    {
                        throw new RecordConflictException(key, writes[i].ExpectedVersion, current);
                    }

                    // Versions keep growing across a delete and re-create (the row stays, without data).
                    versions[i] = Math.Max(stored, writes[i].ExpectedVersion) + 1;
                }

                position = Scalar(connection, "UPDATE feed SET position = position + 1 WHERE only = 1 RETURNING position");
                long committedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
                for (int i = 0; i < writes.Count; i++)
                {
                    RecordWrite write = writes[i];
                    using (SqliteCommand upsert = Command(
                        connection,
                        "INSERT INTO records (service, collection, id, version, data) VALUES ($s, $c, $i, $v, $d) ON CONFLICT (service, collection, id) DO UPDATE SET version = excluded.version, data = excluded.data",
                        ("$s", write.Key.Service),
                        ("$c", write.Key.Collection),
                        ("$i", write.Key.Id),
                        ("$v", versions[i]),
                        ("$d", write.IsDelete ? DBNull.Value : write.Data.ToArray())))
                    {
                        upsert.ExecuteNonQuery();
                    }

                    using SqliteCommand change = Command(
                        connection,
                        "INSERT INTO changes (position, service, collection, id, version, deleted, committed_at) VALUES ($p, $s, $c, $i, $v, $x, $t)",
                        ("$t", committedAt),
                        ("$p", position),
                        ("$s", write.Key.Service),
                        ("$c", write.Key.Collection),
                        ("$i", write.Key.Id),
                        ("$v", versions[i]),
                        ("$x", write.IsDelete ? 1 : 0));
                    change.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }

        Interlocked.Exchange(ref _localCommit, NewSignal()).TrySetResult();
        return new(new CommitResult(position, versions));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<RecordChange>> ReadChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, "SELECT position, collection, id, version, deleted, committed_at FROM changes WHERE service = $s AND position > $p ORDER BY seq", ("$s", service), ("$p", afterPosition));
        using SqliteDataReader reader = command.ExecuteReader();
        var changes = new List<RecordChange>();
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        while (reader.Read())
        {
            changes.Add(new RecordChange(reader.GetInt64(0), new RecordKey(service, reader.GetString(1), reader.GetString(2)), reader.GetInt64(3), reader.GetBoolean(4))
            {
                Age = reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(now - reader.GetInt64(5)),
            });
        }

        return new(changes);
    }

    /// <inheritdoc/>
    public async Task WaitForChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task local = Volatile.Read(ref _localCommit).Task;
            using (SqliteConnection connection = Connect())
            using (SqliteCommand command = Command(connection, "SELECT EXISTS (SELECT 1 FROM changes WHERE service = $s AND position > $p)", ("$s", service), ("$p", afterPosition)))
            {
                if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0)
                {
                    return;
                }
            }

            // A commit in this process wakes at once; another process's commit is seen at the next poll.
            await Task.WhenAny(local, Task.Delay(PollInterval, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using SqliteConnection connection = Connect();
        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        using (SqliteCommand read = Command(connection, "SELECT holder, expires FROM leases WHERE name = $n", ("$n", name)))
        using (SqliteDataReader reader = read.ExecuteReader())
        {
            if (reader.Read() && reader.GetString(0) != holder && reader.GetInt64(1) > now)
            {
                return new(false);
            }
        }

        using (SqliteCommand write = Command(
            connection,
            "INSERT INTO leases (name, holder, expires) VALUES ($n, $h, $e) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires",
            ("$n", name),
            ("$h", holder),
            ("$e", now + (long)duration.TotalMilliseconds)))
        {
            write.ExecuteNonQuery();
        }

        transaction.Commit();
        return new(true);
    }

    /// <inheritdoc/>
    public ValueTask ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default)
    {
        using SqliteConnection connection = Connect();
        using SqliteCommand command = Command(connection, "DELETE FROM leases WHERE name = $n AND holder = $h", ("$n", name), ("$h", holder));
        command.ExecuteNonQuery();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes this process's pooled connections to the file.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            lock (_writeGate)
            {
                _writer?.Dispose();
                _writer = null;
            }

            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }

        return ValueTask.CompletedTask;
    }

    private SqliteConnection Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, Durability == SqliteDurability.PowerLoss ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = Command(connection, sql);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Files and directories created private to their owner (0600 and 0700 on Unix).</summary>
internal static class PrivateFiles
{
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var missing = new Stack<string>();
        for (string? dir = Path.GetFullPath(path); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out string? dir))
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Creates an empty file, private to its owner, when it does not exist; SQLite gives its WAL and shared-memory files the same mode.</summary>
    public static void Touch(string path)
    {
        if (File.Exists(path))
        {
            return;
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first.
        }
    }
}
