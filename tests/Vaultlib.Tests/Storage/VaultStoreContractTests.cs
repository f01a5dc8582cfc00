using Microsoft.Extensions.Time.Testing;
using Vaultlib.PostgreSql;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Storage;

/// <summary>
/// What every <see cref="IVaultStore"/> must do: versions and compare-and-swap, atomic transactions,
/// a change feed in commit order, and exclusive leases that pass on when they expire. Subclassed once
/// per store.
/// </summary>
public abstract class VaultStoreContractTests : IAsyncLifetime
{
    private IVaultStore? _store;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected IVaultStore Store => _store!;

    protected abstract Task<IVaultStore> CreateStoreAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Opens the store under test; a test that needs a missing server skips (or, under CI, fails) here.</summary>
    protected async Task OpenAsync() => _store ??= await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private static RecordKey Key(string id, string service = "svc") => new(service, "things", id);

    /// <summary>Whether the store dates commits on its server's clock (PostgreSQL) rather than on the injected one.</summary>
    protected virtual bool DatesOnServerClock => false;

    private static byte[] Data(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [SkippableFact]
    public async Task A_record_is_written_read_and_versioned()
    {
        await OpenAsync();
        CommitResult first = await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("one"))]);
        Assert.Equal([1L], first.Versions);
        StoredRecord? read = await Store.ReadAsync(Key("a"));
        Assert.Equal(1, read!.Version);
        Assert.Equal(Data("one"), read.Data.ToArray());

        CommitResult second = await Store.CommitAsync([RecordWrite.Put(Key("a"), 1, Data("two"))]);
        Assert.Equal([2L], second.Versions);
        Assert.True(second.Position > first.Position);
        Assert.Equal(Data("two"), (await Store.ReadAsync(Key("a")))!.Data.ToArray());
        Assert.Null(await Store.ReadAsync(Key("missing")));
    }

    [SkippableFact]
    public async Task A_write_at_a_stale_version_is_refused_and_a_lost_update_is_impossible()
    {
        await OpenAsync();
        await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("one"))]);
        await Store.CommitAsync([RecordWrite.Put(Key("a"), 1, Data("two"))]);

        var stale = await Assert.ThrowsAsync<RecordConflictException>(async () => await Store.CommitAsync([RecordWrite.Put(Key("a"), 1, Data("lost"))]));
        Assert.Equal(Key("a"), stale.Key);
        Assert.Equal(1, stale.ExpectedVersion);
        Assert.Equal(2, stale.ActualVersion);
        await Assert.ThrowsAsync<RecordConflictException>(async () => await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("again"))]));
        Assert.Equal(Data("two"), (await Store.ReadAsync(Key("a")))!.Data.ToArray());
    }

    [SkippableFact]
    public async Task A_transaction_applies_all_of_its_writes_or_none()
    {
        await OpenAsync();
        await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("a1")), RecordWrite.Put(Key("b"), 0, Data("b1"))]);
        long before = (await Store.ReadAllAsync("svc")).Position;

        await Assert.ThrowsAsync<RecordConflictException>(async () => await Store.CommitAsync(
            [RecordWrite.Put(Key("a"), 1, Data("a2")), RecordWrite.Put(Key("c"), 0, Data("c1")), RecordWrite.Delete(Key("b"), 7)]));

        StoreSnapshot after = await Store.ReadAllAsync("svc");
        Assert.Equal(before, after.Position);
        Assert.Equal(["a1", "b1"], after.Records.OrderBy(r => r.Key.Id).Select(r => System.Text.Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Empty(await Store.ReadChangesAsync("svc", before));
    }

    [SkippableFact]
    public async Task Versions_keep_growing_across_a_delete_and_a_re_create()
    {
        await OpenAsync();
        await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("one"))]);
        await Store.CommitAsync([RecordWrite.Put(Key("a"), 1, Data("two"))]);
        CommitResult deleted = await Store.CommitAsync([RecordWrite.Delete(Key("a"), 2)]);
        Assert.Equal([3L], deleted.Versions);
        Assert.Null(await Store.ReadAsync(Key("a")));

        CommitResult recreated = await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("three"))]);
        Assert.Equal([4L], recreated.Versions);
        await Assert.ThrowsAsync<RecordConflictException>(async () => await Store.CommitAsync([RecordWrite.Put(Key("a"), 2, Data("stale"))]));
    }

    [SkippableFact]
    public async Task The_change_feed_lists_every_commit_of_a_service_in_order()
    {
        await OpenAsync();
        long start = (await Store.ReadAllAsync("svc")).Position;
        CommitResult one = await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("1")), RecordWrite.Put(Key("b"), 0, Data("1"))]);
        await Store.CommitAsync([RecordWrite.Put(Key("x", "other"), 0, Data("1"))]);
        CommitResult two = await Store.CommitAsync([RecordWrite.Delete(Key("a"), 1)]);

        IReadOnlyList<RecordChange> changes = await Store.ReadChangesAsync("svc", start);
        Assert.Equal([(one.Position, "a", 1L, false), (one.Position, "b", 1L, false), (two.Position, "a", 2L, true)], changes.Select(c => (c.Position, c.Key.Id, c.Version, c.Deleted)));
        Assert.Single(await Store.ReadChangesAsync("svc", one.Position));
        Assert.Empty(await Store.ReadChangesAsync("svc", two.Position));
        Assert.Equal(["other", "svc"], await Store.ListServicesAsync());
    }

    [SkippableFact]
    public async Task WaitForChanges_returns_when_a_commit_arrives()
    {
        await OpenAsync();
        long position = (await Store.ReadAllAsync("svc")).Position;
        Task waiting = Store.WaitForChangesAsync("svc", position);
        Assert.False(waiting.IsCompleted);

        await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("1"))]);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await Store.WaitForChangesAsync("svc", position).WaitAsync(TimeSpan.FromSeconds(10)); // already there: at once
    }

    [SkippableFact]
    public async Task A_lease_has_one_holder_until_it_expires_or_is_released()
    {
        await OpenAsync();
        Assert.True(await Store.TryAcquireLeaseAsync("scheduler", "one", TimeSpan.FromSeconds(30)));
        Assert.False(await Store.TryAcquireLeaseAsync("scheduler", "two", TimeSpan.FromSeconds(30)));
        Assert.True(await Store.TryAcquireLeaseAsync("scheduler", "one", TimeSpan.FromSeconds(30))); // renewal

        Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await Store.TryAcquireLeaseAsync("scheduler", "two", TimeSpan.FromSeconds(30)));
        Assert.False(await Store.TryAcquireLeaseAsync("scheduler", "one", TimeSpan.FromSeconds(30)));

        await Store.ReleaseLeaseAsync("scheduler", "one"); // not the holder: no effect
        Assert.False(await Store.TryAcquireLeaseAsync("scheduler", "one", TimeSpan.FromSeconds(30)));
        await Store.ReleaseLeaseAsync("scheduler", "two");
        Assert.True(await Store.TryAcquireLeaseAsync("scheduler", "one", TimeSpan.FromSeconds(30)));
    }

    [SkippableFact]
    public async Task Malformed_transactions_are_refused_before_anything_is_written()
    {
        await OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CommitAsync([]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("1")), RecordWrite.Put(Key("a"), 0, Data("2"))]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("1")), RecordWrite.Put(Key("b", "other"), 0, Data("2"))]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.CommitAsync([RecordWrite.Put(new RecordKey("svc", "", "a"), 0, Data("1"))]));
        Assert.Empty(await Store.ListServicesAsync());
    }

    [SkippableFact]
    public async Task Concurrent_writers_of_one_record_each_see_every_success_and_no_update_is_lost()
    {
        await OpenAsync();
        await Store.CommitAsync([RecordWrite.Put(Key("counter"), 0, BitConverter.GetBytes(0))]);
        async Task Increment(int times)
        {
            for (int done = 0; done < times;)
            {
                StoredRecord current = (await Store.ReadAsync(Key("counter")))!;
                int value = BitConverter.ToInt32(current.Data.Span);
                try
                {
                    await Store.CommitAsync([RecordWrite.Put(Key("counter"), current.Version, BitConverter.GetBytes(value + 1))]);
                    done++;
                }
                catch (RecordConflictException)
                {
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Increment(25))));
        Assert.Equal(100, BitConverter.ToInt32((await Store.ReadAsync(Key("counter")))!.Data.Span));
    }
    [SkippableFact]
    public async Task The_change_feed_tells_how_long_ago_each_change_was_committed()
    {
        await OpenAsync();
        await Store.CommitAsync([RecordWrite.Put(Key("a"), 0, Data("one"))]);
        Clock.Advance(TimeSpan.FromSeconds(5));
        await Store.CommitAsync([RecordWrite.Put(Key("b"), 0, Data("two")), RecordWrite.Put(Key("c"), 0, Data("three"))]);
        Clock.Advance(TimeSpan.FromSeconds(2));

        IReadOnlyList<RecordChange> changes = await Store.ReadChangesAsync("svc", 0);
        Assert.Equal(3, changes.Count);
        if (DatesOnServerClock)
        {
            // The server's own clock: no instance's clock (fake or skewed) enters it.
            Assert.All(changes, c => Assert.InRange(c.Age!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(30)));
            Assert.True(changes[0].Age >= changes[2].Age);
        }
        else
        {
            Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)], changes.Select(c => c.Age!.Value));
        }
    }
}

public sealed class InMemoryVaultStoreTests : VaultStoreContractTests
{
    protected override Task<IVaultStore> CreateStoreAsync() => Task.FromResult<IVaultStore>(new InMemoryVaultStore(Clock));
}

public sealed class SqliteVaultStoreTests : VaultStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IVaultStore> CreateStoreAsync() => Task.FromResult<IVaultStore>(SqliteVaultStore.Open(_directory.Combine("vault.db"), Clock));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Two_handles_on_one_file_see_each_other_s_commits()
    {
        await OpenAsync();
        await using SqliteVaultStore other = SqliteVaultStore.Open(_directory.Combine("vault.db"), Clock);
        long position = (await other.ReadAllAsync("svc")).Position;
        Task waiting = other.WaitForChangesAsync("svc", position);

        await Store.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "a"), 0, new byte[] { 1, 2, 3 })]);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1, 2, 3], (await other.ReadAsync(new RecordKey("svc", "things", "a")))!.Data.ToArray());
        await Assert.ThrowsAsync<RecordConflictException>(async () => await other.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "a"), 0, new byte[] { 9 })]));
    }

    [Fact]
    public async Task The_vault_file_is_private_to_its_owner()
    {
        await OpenAsync();
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_directory.Combine("vault.db")));
    }

    [Fact]
    public async Task A_vault_made_before_commit_times_were_kept_gains_them_and_its_old_changes_have_no_age()
    {
        string path = _directory.Combine("old.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE records (service TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, data BLOB, PRIMARY KEY (service, collection, id)) WITHOUT ROWID;
                CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, position INTEGER NOT NULL, service TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL);
                CREATE TABLE feed (only INTEGER PRIMARY KEY CHECK (only = 1), position INTEGER NOT NULL);
                INSERT INTO feed (only, position) VALUES (1, 1);
                CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires INTEGER NOT NULL);
                INSERT INTO records VALUES ('svc', 'things', 'old', 1, x'01');
                INSERT INTO changes (position, service, collection, id, version, deleted) VALUES (1, 'svc', 'things', 'old', 1, 0);
                """;
            create.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using SqliteVaultStore store = SqliteVaultStore.Open(path, Clock);
        await store.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "new"), 0, new byte[] { 2 })]);
        Clock.Advance(TimeSpan.FromSeconds(1));
        IReadOnlyList<RecordChange> changes = await store.ReadChangesAsync("svc", 0);
        Assert.Equal(["old", "new"], changes.Select(c => c.Key.Id));
        Assert.Null(changes[0].Age);
        Assert.Equal(TimeSpan.FromSeconds(1), changes[1].Age);
    }

    [Fact]
    public async Task A_file_that_is_not_a_vault_is_refused()
    {
        string path = _directory.Combine("not-a-vault.db");
        await File.WriteAllTextAsync(path, "this is not an SQLite database, just text that is long enough to have a header");
        var ex = Assert.Throws<VaultStoreException>(() => SqliteVaultStore.Open(path));
        Assert.Equal(VaultStoreFailure.InvalidHeader, ex.Failure);
    }
}

public sealed class PostgreSqlVaultStoreTests : VaultStoreContractTests
{
    private string? _schema;

    protected override async Task<IVaultStore> CreateStoreAsync()
    {
        (PostgreSqlVaultStore store, string schema) = await PostgreSqlServer.NewStoreAsync(Clock);
        _schema = schema;
        return store;
    }

    protected override bool DatesOnServerClock => true;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_schema is not null)
        {
            await PostgreSqlServer.DropSchemaAsync(_schema);
        }
    }

    [SkippableFact]
    public async Task Two_stores_on_one_database_see_each_other_s_commits_at_once_through_NOTIFY()
    {
        await OpenAsync();
        await using PostgreSqlVaultStore other = await PostgreSqlVaultStore.OpenAsync(PostgreSqlServer.ConnectionString!, new PostgreSqlVaultStoreOptions { Schema = _schema!, PollInterval = TimeSpan.FromMinutes(5) }, Clock);
        long position = (await other.ReadAllAsync("svc")).Position;
        Task waiting = other.WaitForChangesAsync("svc", position);
        await Task.Delay(200); // let the other store's listener subscribe
        Assert.False(waiting.IsCompleted);

        await Store.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "a"), 0, new byte[] { 7 })]);

        await waiting.WaitAsync(TimeSpan.FromSeconds(10)); // well before the 5-minute poll: the notification woke it
        Assert.Equal([7], (await other.ReadAsync(new RecordKey("svc", "things", "a")))!.Data.ToArray());
    }

    [SkippableFact]
    public async Task After_its_listening_connection_is_cut_a_store_re_reads_the_feed_rather_than_wait_for_a_lost_notification()
    {
        await OpenAsync();
        await using PostgreSqlVaultStore listener = await PostgreSqlVaultStore.OpenAsync(PostgreSqlServer.ConnectionString!, new PostgreSqlVaultStoreOptions { Schema = _schema!, PollInterval = TimeSpan.FromMinutes(5) }, Clock);
        long position = (await listener.ReadAllAsync("svc")).Position;
        Task waiting = listener.WaitForChangesAsync("svc", position);
        await Task.Delay(300);

        // Cut every listening connection, then commit while none listens: that notification is lost.
        await PostgreSqlServer.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
        await Store.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "lost"), 0, new byte[] { 1 })]);

        // The reconnect wakes every waiter to re-read the feed, long before the five-minute poll.
        await waiting.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Single(await listener.ReadChangesAsync("svc", position));
    }

    [SkippableFact]
    public async Task A_version_1_schema_is_migrated_to_keep_commit_times_and_its_old_changes_have_no_age()
    {
        await OpenAsync();
        await Store.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "old"), 0, new byte[] { 1 })]);
        await PostgreSqlServer.ExecuteAsync($"ALTER TABLE {_schema}.changes DROP COLUMN committed_at; UPDATE {_schema}.schema_version SET version = 1");

        await using PostgreSqlVaultStore migrated = await PostgreSqlVaultStore.OpenAsync(PostgreSqlServer.ConnectionString!, new PostgreSqlVaultStoreOptions { Schema = _schema! }, Clock);
        await migrated.CommitAsync([RecordWrite.Put(new RecordKey("svc", "things", "new"), 0, new byte[] { 2 })]);
        IReadOnlyList<RecordChange> changes = await migrated.ReadChangesAsync("svc", 0);
        Assert.Equal(["old", "new"], changes.Select(c => c.Key.Id));
        Assert.Null(changes[0].Age);
        Assert.InRange(changes[1].Age!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [SkippableFact]
    public async Task A_newer_schema_is_refused()
    {
        await OpenAsync();
        await PostgreSqlServer.ExecuteAsync($"UPDATE {_schema}.schema_version SET version = 99");
        var ex = await Assert.ThrowsAsync<VaultStoreException>(() => PostgreSqlVaultStore.OpenAsync(PostgreSqlServer.ConnectionString!, new PostgreSqlVaultStoreOptions { Schema = _schema! }));
        Assert.Equal(VaultStoreFailure.InvalidHeader, ex.Failure);
    }
}
