using System.Text;
using Microsoft.Data.Sqlite;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Storage;

/// <summary>
/// A vault seals every record and keeps a sealed manifest: a changed byte, a truncated record, a
/// deleted record and an older copy put back are each refused with a typed error naming the record;
/// a wrong root key is refused and leaves the store as it was; the root key rotates while in use.
/// Tampering is done as an attacker with write access to the file would: with SQL on the SQLite file.
/// </summary>
public sealed partial class VaultTests : IDisposable
{
    private const string Service = "test/us-east-1/111122223333";
    private readonly TempDirectory _directory = new();
    private readonly VaultRootKey _rootKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));

    public void Dispose()
    {
        _rootKey.Dispose();
        _directory.Dispose();
        SqliteConnection.ClearAllPools();
    }

    private string VaultPath => _directory.Combine("vault.db");

    private Vault OpenVault(VaultRootKey? rootKey = null, VaultRootKey? previous = null, IVaultRollbackCounter? counter = null) =>
        Vault.OpenSqlite(VaultPath, rootKey ?? _rootKey, previous, rollbackCounter: counter);

    private static async Task<Dictionary<string, string>> Load(Vault vault, string service = Service)
    {
        var loaded = new Dictionary<string, string>();
        await vault.Records(service).LoadAsync((key, _, plaintext) => loaded[$"{key.Collection}/{key.Id}"] = Encoding.UTF8.GetString(plaintext.Span), CancellationToken.None);
        return loaded;
    }

    private static Task<CommitResult> Put(Vault vault, string id, string value, long expected = 0, string collection = "things") =>
        vault.Records(Service).CommitAsync([new PlainWrite(collection, id, expected, Encoding.UTF8.GetBytes(value))], CancellationToken.None).AsTask();

    private void Sql(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={VaultPath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private byte[] Row(string id, string collection = "things")
    {
        using var connection = new SqliteConnection($"Data Source={VaultPath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM records WHERE service = $s AND collection = $c AND id = $i";
        command.Parameters.AddWithValue("$s", Service);
        command.Parameters.AddWithValue("$c", collection);
        command.Parameters.AddWithValue("$i", id);
        return (byte[])command.ExecuteScalar()!;
    }

    private async Task<VaultStoreException> Refused()
    {
        SqliteConnection.ClearAllPools();
        await using Vault vault = OpenVault();
        return await Assert.ThrowsAsync<VaultStoreException>(() => Load(vault));
    }

    [Fact]
    public async Task Records_round_trip_and_the_file_holds_no_plaintext()
    {
        const string Secret = "the-launch-code-is-00000000";
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", Secret);
            await Put(vault, "b", "second");
        }

        SqliteConnection.ClearAllPools();
        await using (Vault reopened = OpenVault())
        {
            Assert.Equal(new Dictionary<string, string> { ["things/a"] = Secret, ["things/b"] = "second" }, await Load(reopened));
        }

        SqliteConnection.ClearAllPools();
        var needles = new SecretNeedles();
        needles.Add("secret", Encoding.UTF8.GetBytes(Secret));
        foreach (string file in Directory.GetFiles(_directory.Path))
        {
            Assert.Empty(needles.FoundIn(await File.ReadAllBytesAsync(file)));
        }
    }

    [Fact]
    public async Task A_deleted_record_is_gone_from_the_store_and_the_manifest()
    {
        await using (Vault vault = OpenVault())
        {
            CommitResult put = await Put(vault, "a", "value");
            await Put(vault, "b", "kept");
            await vault.Records(Service).CommitAsync([new PlainWrite("things", "a", put.Versions[0], null)], CancellationToken.None);
            Assert.Equal(["things/b"], (await Load(vault)).Keys);
            Assert.Null(await vault.Store.ReadAsync(new RecordKey(Service, "things", "a")));
        }

        SqliteConnection.ClearAllPools();
        await using Vault reopened = OpenVault();
        Assert.Equal(["things/b"], (await Load(reopened)).Keys);
    }

    [Fact]
    public async Task A_changed_byte_is_refused_naming_the_record()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        byte[] data = Row("a");
        data[^1] ^= 1;
        Sql("UPDATE records SET data = $d WHERE collection = 'things' AND id = 'a'", ("$d", data));

        VaultStoreException ex = await Refused();
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal($"{Service}/things/a", ex.Location);
    }

    [Fact]
    public async Task A_truncated_record_is_refused_naming_the_record()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        Sql("UPDATE records SET data = substr(data, 1, 10) WHERE collection = 'things' AND id = 'a'");
        VaultStoreException ex = await Refused();
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal($"{Service}/things/a", ex.Location);
    }

    [Fact]
    public async Task A_deleted_record_is_refused_naming_the_record()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
            await Put(vault, "b", "value");
        }

        Sql("DELETE FROM records WHERE collection = 'things' AND id = 'b'");
        VaultStoreException ex = await Refused();
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal($"{Service}/things/b", ex.Location);
        Assert.Contains("deleted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_copy_of_a_record_put_back_is_refused_naming_the_record()
    {
        byte[] old;
        await using (Vault vault = OpenVault())
        {
            CommitResult first = await Put(vault, "policy", "allow everything");
            old = Row("policy");
            await Put(vault, "policy", "allow nothing", expected: first.Versions[0]);
        }

        Sql("UPDATE records SET data = $d WHERE collection = 'things' AND id = 'policy'", ("$d", old));
        VaultStoreException ex = await Refused();
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal($"{Service}/things/policy", ex.Location);
        Assert.Contains("older copy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_moved_to_another_id_or_an_added_record_is_refused()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        Sql("INSERT INTO records (service, collection, id, version, data) SELECT service, collection, 'copy', version, data FROM records WHERE collection = 'things' AND id = 'a'");
        VaultStoreException ex = await Refused();
        Assert.Equal($"{Service}/things/copy", ex.Location);
        Assert.Contains("is not in the vault's manifest", ex.Message, StringComparison.Ordinal);

        // Read alone (the change feed), the copy is refused by its seal, which binds the record's name.
        SqliteConnection.ClearAllPools();
        await using Vault reopened = OpenVault();
        VaultStoreException moved = await Assert.ThrowsAsync<VaultStoreException>(() => reopened.Records(Service).ReadAsync("things", "copy", (_, _, _) => { }, CancellationToken.None).AsTask());
        Assert.Contains("failed authentication", moved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_manifest_bucket_put_back_is_refused_by_the_next_commit_after_one_re_read()
    {
        Dictionary<string, byte[]> before;
        await using (Vault vault = OpenVault())
        {
            CommitResult first = await Put(vault, "a", "one");
            before = ManifestBuckets();
            await Put(vault, "a", "two", expected: first.Versions[0]);
        }

        // The bucket that holds "a" changed with the second put: put its older copy back.
        (string bucket, byte[] old) = Assert.Single(before, b => b.Key != "root" && !b.Value.AsSpan().SequenceEqual(Row(b.Key, ServiceRecords.ManifestCollection)));
        Sql("UPDATE records SET data = $d WHERE collection = '_manifest' AND id = $i", ("$d", old), ("$i", bucket));

        SqliteConnection.ClearAllPools();
        await using Vault reopened = OpenVault();
        StoredRecord current = (await reopened.Store.ReadAsync(new RecordKey(Service, "things", "a")))!;
        VaultStoreException ex = await Assert.ThrowsAsync<VaultStoreException>(() => Put(reopened, "a", "three", expected: current.Version));
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal($"{Service}/_manifest/{bucket}", ex.Location);
    }

    private Dictionary<string, byte[]> ManifestBuckets()
    {
        using var connection = new SqliteConnection($"Data Source={VaultPath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT id, data FROM records WHERE collection = '_manifest' AND data IS NOT NULL";
        using SqliteDataReader reader = command.ExecuteReader();
        var rows = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (reader.Read())
        {
            rows[reader.GetString(0)] = (byte[])reader[1];
        }

        return rows;
    }

    [Fact]
    public async Task A_deleted_or_rolled_back_manifest_is_refused()
    {
        byte[] oldRoot;
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
            oldRoot = Row("root", ServiceRecords.ManifestCollection);
            await Put(vault, "b", "value");
        }

        Sql("UPDATE records SET data = $d WHERE collection = '_manifest' AND id = 'root'", ("$d", oldRoot));
        Assert.Equal(VaultStoreFailure.Tampered, (await Refused()).Failure);
        Sql("DELETE FROM records WHERE collection = '_manifest' AND id = 'root'");
        VaultStoreException deleted = await Refused();
        Assert.Contains("is missing while its buckets exist", deleted.Message, StringComparison.Ordinal);
        Assert.Equal($"{Service}/_manifest/root", deleted.Location);
    }

    [Fact]
    public async Task A_wrong_root_key_is_refused_and_the_store_is_unchanged()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        SqliteConnection.ClearAllPools();
        byte[] before = await File.ReadAllBytesAsync(VaultPath);
        using var wrong = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        var ex = Assert.Throws<VaultStoreException>(() => OpenVault(wrong));
        Assert.Equal(VaultStoreFailure.InvalidRootKey, ex.Failure);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, await File.ReadAllBytesAsync(VaultPath));
    }

    [Fact]
    public async Task Services_are_sealed_apart()
    {
        await using Vault vault = OpenVault();
        await Put(vault, "a", "value");
        Sql("INSERT INTO records (service, collection, id, version, data) SELECT 'other', collection, id, version, data FROM records WHERE service = $s", ("$s", Service));
        await Assert.ThrowsAsync<VaultStoreException>(() => Load(vault, "other"));
    }

    [Fact]
    public async Task The_root_key_rotates_while_the_vault_is_in_use()
    {
        using var newKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        await using (Vault vault = OpenVault())
        {
            for (int i = 0; i < 150; i++)
            {
                await Put(vault, $"r{i}", $"value {i}");
            }

            Assert.Equal(1, vault.RootKeyGeneration);
            int resealed = await vault.RotateRootKeyAsync(newKey);
            Assert.Equal(150, resealed);
            Assert.Equal(2, vault.RootKeyGeneration);
            await Put(vault, "after", "rotation");
            Assert.Equal(151, (await Load(vault)).Count);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(VaultStoreFailure.InvalidRootKey, Assert.Throws<VaultStoreException>(() => OpenVault(_rootKey)).Failure);
        await using Vault reopened = OpenVault(newKey);
        Assert.Equal("value 7", (await Load(reopened))["things/r7"]);
    }

    [Fact]
    public async Task A_rotation_interrupted_after_its_first_step_opens_with_both_keys_and_finishes()
    {
        using var newKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        // The first step of a rotation, as a crash right after it would leave it: the header lists both keys.
        SqliteConnection.ClearAllPools();
        await using (var store = SqliteVaultStore.Open(VaultPath))
        {
            StoredRecord header = (await store.ReadAsync(VaultHeader.Key))!;
            VaultHeader current = VaultHeader.Read(VaultPath, header.Data.Span);
            var both = current with { Generations = [current.Current, VaultHeader.NewGeneration(current.VaultId, 2, newKey)] };
            await store.CommitAsync([RecordWrite.Put(VaultHeader.Key, header.Version, both.ToJson())]);
        }

        SqliteConnection.ClearAllPools();
        var ex = Assert.Throws<VaultStoreException>(() => OpenVault(_rootKey));
        Assert.Contains("rotation is unfinished", ex.Message, StringComparison.Ordinal);
        await using Vault resumed = OpenVault(newKey, previous: _rootKey);
        Assert.Equal("value", (await Load(resumed))["things/a"]);
        await resumed.RotateRootKeyAsync(newKey);
        Assert.Equal(2, resumed.RootKeyGeneration);
        Assert.Equal("value", (await Load(resumed))["things/a"]);
    }

    [Fact]
    public async Task A_whole_vault_rolled_back_is_refused_by_an_external_monotonic_counter()
    {
        var counter = new MemoryCounter();
        await using (Vault vault = OpenVault(counter: counter))
        {
            await Put(vault, "a", "value");
        }

        SqliteConnection.ClearAllPools();
        byte[] snapshot = await File.ReadAllBytesAsync(VaultPath);
        await using (Vault vault = OpenVault(counter: counter))
        {
            await Put(vault, "b", "value");
            Assert.Equal(2, (await Load(vault)).Count); // the current copy is at the counter: it loads
        }

        SqliteConnection.ClearAllPools();
        File.Delete(VaultPath + "-wal");
        File.Delete(VaultPath + "-shm");
        await File.WriteAllBytesAsync(VaultPath, snapshot);
        await using Vault rolledBack = OpenVault(counter: counter);
        var ex = await Assert.ThrowsAsync<VaultStoreException>(() => Load(rolledBack));
        Assert.Equal(VaultStoreFailure.RolledBack, ex.Failure);

        await using Vault unguarded = OpenVault(); // without the counter, nothing inside the file can tell
        Assert.Single(await Load(unguarded));
    }

    private sealed class MemoryCounter : IVaultRollbackCounter
    {
        private readonly Dictionary<(Guid, string), long> _counters = [];

        public ValueTask<long> ReadAsync(Guid vaultId, string service, CancellationToken cancellationToken) =>
            new(_counters.GetValueOrDefault((vaultId, service)));

        public ValueTask AdvanceAsync(Guid vaultId, string service, long counter, CancellationToken cancellationToken)
        {
            _counters[(vaultId, service)] = Math.Max(counter, _counters.GetValueOrDefault((vaultId, service)));
            return ValueTask.CompletedTask;
        }
    }
}
