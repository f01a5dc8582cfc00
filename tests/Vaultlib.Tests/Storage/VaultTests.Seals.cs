using System.Text;
using Microsoft.Data.Sqlite;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Storage;

/// <summary>The seal of each record on its own: read alone, moved, renewed; and the bucket the manifest keeps it in.</summary>
public sealed partial class VaultTests
{
    [Fact]
    public async Task A_record_read_alone_is_authenticated_even_where_no_manifest_is_checked()
    {
        // The change feed reads single records (ReadAsync), without the manifest: their seal alone must refuse a change.
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        byte[] original = Row("a");
        async Task<VaultStoreException> ReadRefused(byte[] data)
        {
            Sql("UPDATE records SET data = $d WHERE collection = 'things' AND id = 'a'", ("$d", data));
            SqliteConnection.ClearAllPools();
            await using Vault vault = OpenVault();
            return await Assert.ThrowsAsync<VaultStoreException>(() => vault.Records(Service).ReadAsync("things", "a", (_, _, _) => { }, CancellationToken.None).AsTask());
        }

        byte[] flipped = (byte[])original.Clone();
        flipped[^1] ^= 1;
        VaultStoreException altered = await ReadRefused(flipped);
        Assert.Equal((VaultStoreFailure.Tampered, $"{Service}/things/a"), (altered.Failure, altered.Location));
        Assert.Contains("failed authentication", altered.Message, StringComparison.Ordinal);

        byte[] magic = (byte[])original.Clone();
        magic[0] ^= 1;
        Assert.Contains("is not a sealed Vaultlib record", (await ReadRefused(magic)).Message, StringComparison.Ordinal);
        Assert.Contains("is not a sealed Vaultlib record", (await ReadRefused(original[..35])).Message, StringComparison.Ordinal);
        await ReadRefused(original[..36]); // header, nonce and tag with no ciphertext: a seal that does not authenticate

        Sql("UPDATE records SET data = $d WHERE collection = 'things' AND id = 'a'", ("$d", original));
        SqliteConnection.ClearAllPools();
        await using (Vault vault = OpenVault())
        {
            string? read = null;
            Assert.True(await vault.Records(Service).ReadAsync("things", "a", (_, _, plaintext) => read = Encoding.UTF8.GetString(plaintext.Span), CancellationToken.None));
            Assert.Equal("value", read);
            Assert.False(await vault.Records(Service).ReadAsync("things", "missing", (_, _, _) => read = "called", CancellationToken.None));
            Assert.Equal("value", read);
        }
    }

    [Fact]
    public async Task Several_missing_records_are_reported_by_the_first_in_order_and_their_number()
    {
        await using (Vault vault = OpenVault())
        {
            foreach (string id in new[] { "c", "a", "d", "b" })
            {
                await Put(vault, id, "value");
            }
        }

        Sql("DELETE FROM records WHERE collection = 'things' AND id IN ('b', 'c')");
        VaultStoreException ex = await Refused();
        Assert.Equal($"{Service}/things/b", ex.Location);
        Assert.Contains("(2 record(s) missing in all)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_seal_has_a_fresh_nonce_and_records_land_in_the_documented_bucket()
    {
        await using (Vault vault = OpenVault())
        {
            CommitResult first = await Put(vault, "a", "value");
            byte[] before = Row("a");
            await Put(vault, "a", "value", expected: first.Versions[0]);
            Assert.NotEqual(before.AsSpan(8, 12).ToArray(), Row("a").AsSpan(8, 12).ToArray());
        }

        // docs/storage.md: the bucket is the first byte of SHA-256(UTF-8 collection ‖ 00 ‖ UTF-8 id), modulo 64.
        foreach ((string collection, string id) in new[] { ("things", "a"), ("keys", "1234abcd-12ab-34cd-56ef-1234567890ab"), ("paths", new string('é', 400)) })
        {
            int bucket = System.Security.Cryptography.SHA256.HashData([.. Encoding.UTF8.GetBytes(collection), 0, .. Encoding.UTF8.GetBytes(id)])[0] % 64;
            Assert.Equal(bucket, ServiceRecords.BucketIndexOf(collection, id));
        }
    }
}
