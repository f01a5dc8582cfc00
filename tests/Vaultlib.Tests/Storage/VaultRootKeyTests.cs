using System.Text;
using System.Security.Cryptography;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Storage;

public sealed class VaultRootKeyTests
{
    private static readonly PassphraseKdfOptions s_cheapKdf = new() { MemorySizeKiB = PassphraseKdfOptions.MinimumMemorySizeKiB, Iterations = 1, Parallelism = 1 };

    [Fact]
    public void FromBytes_requires_exactly_32_bytes()
    {
        var ex = Assert.Throws<ArgumentException>("key", () => VaultRootKey.FromBytes(new byte[31]));
        Assert.Contains("32", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("key", () => VaultRootKey.FromBytes(new byte[33]));
    }

    [Fact]
    public async Task CreateKeyFile_writes_an_owner_only_file_that_FromKeyFile_reads_back()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("root.key");
        using (VaultRootKey created = VaultRootKey.CreateKeyFile(path))
        using (Vault vault = Vault.OpenSqlite(temp.Combine("vault.db"), created))
        using (var kms = new VaultKeyService(vault))
        {
            await kms.CreateKeyAsync("k");
        }

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Throws<IOException>(() => VaultRootKey.CreateKeyFile(path));
        using VaultRootKey read = VaultRootKey.FromKeyFile(path);
        using Vault again = Vault.OpenSqlite(temp.Combine("vault.db"), read);
        using var reopened = new VaultKeyService(again);
        Assert.Single((await reopened.ListKeysAsync(new ListKeysRequest())).Keys);
    }

    [Fact]
    public async Task FromKeyFile_accepts_raw_bytes_and_rejects_anything_else()
    {
        using var temp = new TempDirectory();
        string raw = temp.Combine("raw.key");
        await File.WriteAllBytesAsync(raw, RandomNumberGenerator.GetBytes(32));
        MakePrivate(raw);
        using (VaultRootKey.FromKeyFile(raw))
        {
        }

        string bad = temp.Combine("bad.key");
        await File.WriteAllTextAsync(bad, "too short");
        MakePrivate(bad);
        Assert.Throws<ArgumentException>("path", () => VaultRootKey.FromKeyFile(bad));
        Assert.Throws<FileNotFoundException>(() => VaultRootKey.FromKeyFile(temp.Combine("missing.key")));
    }

    private static void MakePrivate(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task A_key_file_others_can_read_is_refused_with_a_clear_error()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permission bits only
        }

        using var temp = new TempDirectory();
        string path = temp.Combine("root.key");
        VaultRootKey.CreateKeyFile(path).Dispose();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var ex = Assert.Throws<VaultStoreException>(() => VaultRootKey.FromKeyFile(path));
        Assert.Equal(VaultStoreFailure.InsecureKeyFile, ex.Failure);
        Assert.Equal(path, ex.Location);
        Assert.Contains("0644", ex.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);

        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        using (VaultRootKey.FromKeyFile(path))
        {
        }
    }

    [Fact]
    public async Task A_store_directory_is_created_private_to_its_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permission bits only
        }

        using var temp = new TempDirectory();
        using var rootKey = VaultRootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        string store = temp.Combine("nested", "store");
        using (Vault vault = Vault.OpenSqlite(Path.Combine(store, "vault.db"), rootKey))
        using (var kms = new VaultKeyService(vault))
        {
            await kms.CreateKeyAsync("k");
            string[] files = Directory.GetFiles(store);
            Assert.Contains(files, f => f.EndsWith("-wal", StringComparison.Ordinal));
            foreach (string file in files)
            {
                Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            }
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(store));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(temp.Combine("nested")));
    }

    private static async Task<string> HeaderJson(string path)
    {
        await using SqliteVaultStore store = SqliteVaultStore.Open(path);
        return Encoding.UTF8.GetString((await store.ReadAsync(new RecordKey("vault", "header", "header")))!.Data.Span);
    }

    private static void SetHeaderJson(string path, string json)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE records SET data = $d WHERE service = 'vault' AND collection = 'header'";
        command.Parameters.AddWithValue("$d", Encoding.UTF8.GetBytes(json));
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task A_passphrase_vault_opens_with_its_passphrase_only()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("vault.db");
        string keyId;
        using (VaultRootKey passphrase = VaultRootKey.FromPassphrase("correct horse battery staple", s_cheapKdf))
        using (Vault vault = Vault.OpenSqlite(path, passphrase))
        using (var kms = new VaultKeyService(vault))
        {
            keyId = (await kms.CreateKeyAsync()).KeyId;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string header = await HeaderJson(path);
        Assert.Contains("argon2id", header, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", header, StringComparison.Ordinal);

        // The header's costs are used on reopen, whatever the options say now.
        using (VaultRootKey same = VaultRootKey.FromPassphrase("correct horse battery staple"))
        using (Vault vault = Vault.OpenSqlite(path, same))
        using (var kms = new VaultKeyService(vault))
        {
            Assert.Equal(keyId, (await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyId);
        }

        using (VaultRootKey wrong = VaultRootKey.FromPassphrase("incorrect horse", s_cheapKdf))
        {
            Assert.Equal(VaultStoreFailure.InvalidRootKey, Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(path, wrong)).Failure);
        }

        using VaultRootKey keyFile = VaultRootKey.FromBytes(new byte[32]);
        Assert.Equal(VaultStoreFailure.InvalidRootKey, Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(path, keyFile)).Failure);
    }

    [Fact]
    public async Task A_header_asking_for_unreasonable_KDF_costs_or_altered_is_refused()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("vault.db");
        using (VaultRootKey passphrase = VaultRootKey.FromPassphrase("pw", s_cheapKdf))
        using (Vault vault = Vault.OpenSqlite(path, passphrase))
        using (var kms = new VaultKeyService(vault))
        {
            await kms.CreateKeyAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string header = await HeaderJson(path);
        SetHeaderJson(path, header.Replace("\"memoryKiB\":8192", "\"memoryKiB\":99999999", StringComparison.Ordinal));
        using VaultRootKey again = VaultRootKey.FromPassphrase("pw", s_cheapKdf);
        var costly = Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(path, again));
        Assert.Equal(VaultStoreFailure.InvalidHeader, costly.Failure);

        SetHeaderJson(path, header.Replace("\"iterations\":1", "\"iterations\":2", StringComparison.Ordinal));
        Assert.Equal(VaultStoreFailure.InvalidRootKey, Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(path, again)).Failure);

        SetHeaderJson(path, "{ not json");
        Assert.Equal(VaultStoreFailure.InvalidHeader, Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(path, again)).Failure);
    }

    [Fact]
    public void A_vault_is_never_created_in_someone_else_s_database()
    {
        using var temp = new TempDirectory();
        string path = temp.Combine("theirs.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
            command.ExecuteNonQuery();
        }

        using VaultRootKey key = VaultRootKey.FromBytes(new byte[32]);
        Assert.Equal(VaultStoreFailure.InvalidHeader, Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(path, key)).Failure);
    }

    [Fact]
    public void Passphrase_options_are_bounded()
    {
        Assert.Throws<VaultStoreException>(() => VaultRootKey.FromPassphrase("pw", new PassphraseKdfOptions { MemorySizeKiB = 1024 }));
        Assert.Throws<VaultStoreException>(() => VaultRootKey.FromPassphrase("pw", new PassphraseKdfOptions { Iterations = 0 }));
        Assert.Throws<ArgumentException>(() => VaultRootKey.FromPassphrase(""));
    }
}
