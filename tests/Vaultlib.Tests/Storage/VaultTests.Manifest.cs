using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Vaultlib.Storage;

namespace Vaultlib.Tests.Storage;

/// <summary>
/// The manifest's own rules, with records that authenticate but break them (forged with the vault's key, as a bug
/// could write them), the at-rest format pinned against docs/storage.md, and two instances sharing one file.
/// </summary>
public sealed partial class VaultTests
{
    private const string Manifest = ServiceRecords.ManifestCollection;

    /// <summary>Replaces a stored record with <paramref name="plaintext"/> sealed under the vault's key, so that it authenticates.</summary>
    private async Task Forge(string collection, string id, byte[] plaintext)
    {
        byte[] sealedRecord;
        await using (Vault vault = OpenVault())
        {
            sealedRecord = vault.Records(Service).SealForTests(collection, id, plaintext);
        }

        SqliteConnection.ClearAllPools();
        Sql("UPDATE records SET data = $d WHERE service = $s AND collection = $c AND id = $i", ("$d", sealedRecord), ("$s", Service), ("$c", collection), ("$i", id));
    }

    /// <summary>A manifest root as docs/storage.md lays it out: record count, commit counter, then SHA-256 of each of the 64 sealed buckets.</summary>
    private static byte[] RootOver(long count, long counter, IReadOnlyDictionary<string, byte[]> sealedBuckets)
    {
        byte[] root = new byte[16 + (64 * 32)];
        BinaryPrimitives.WriteInt64BigEndian(root, count);
        BinaryPrimitives.WriteInt64BigEndian(root.AsSpan(8), counter);
        foreach ((string id, byte[] data) in sealedBuckets)
        {
            SHA256.HashData(data).CopyTo(root.AsSpan(16 + (int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) * 32)));
        }

        return root;
    }

    [Fact]
    public async Task A_manifest_root_that_authenticates_but_breaks_its_rules_is_refused()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        Dictionary<string, byte[]> buckets = ManifestBuckets().Where(b => b.Key != "root").ToDictionary();
        foreach ((byte[] root, string reason) in new[]
        {
            (new byte[16 + (64 * 32) - 1], "has an unexpected length"),
            (RootOver(count: 2, counter: 1, buckets), "records 2 records but its buckets list 1"),
        })
        {
            await Forge(Manifest, "root", root);
            VaultStoreException ex = await Refused();
            Assert.Equal((VaultStoreFailure.Tampered, $"{Service}/{Manifest}/root"), (ex.Failure, ex.Location));
            Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_manifest_bucket_that_does_not_parse_is_refused_even_when_it_authenticates()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
        }

        string bucket = $"b{ServiceRecords.BucketIndexOf("things", "a"):D2}";
        foreach (byte[] malformed in new byte[][]
        {
            [0, 6, 0, 1, .. "things"u8],                          // cut before the id and the digest
            [0, 6, 0, 1, .. "things"u8, (byte)'a', 1, 2, 3],      // a digest of 3 bytes, not 16
            [0, 6, 0, 1, .. "things"u8, 0xFF, .. new byte[16]],   // an id that is not UTF-8
            [0],                                                  // not even the lengths
        })
        {
            await Forge(Manifest, bucket, malformed);
            byte[] sealedBucket = Row(bucket, Manifest);
            await Forge(Manifest, "root", RootOver(count: 1, counter: 1, new Dictionary<string, byte[]> { [bucket] = sealedBucket }));

            VaultStoreException ex = await Refused();
            Assert.Equal((VaultStoreFailure.Tampered, $"{Service}/{Manifest}/{bucket}"), (ex.Failure, ex.Location));
            Assert.Contains("is malformed", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Records_and_the_manifest_are_sealed_as_docs_storage_md_says_under_keys_of_their_own()
    {
        await using Vault vault = OpenVault();
        await Put(vault, "a", "value");

        // AES-256-GCM: "VLR2" ‖ generation (BE) ‖ 12-byte nonce ‖ ciphertext ‖ 16-byte tag, with the AAD
        // "vaultlib/record/v2\0<service>\0<collection>\0<id>\0" ‖ generation (BE), under HKDF-Expand(master, "records/<service>")
        // for records and HKDF-Expand(master, "manifest/<service>") for the manifest.
        string Opened(string purpose, string collection, string id)
        {
            byte[] row = Row(id, collection);
            Assert.Equal("VLR2"u8.ToArray(), row[..4]);
            Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(row.AsSpan(4)));
            byte[] aad = [.. Encoding.UTF8.GetBytes($"vaultlib/record/v2\0{Service}\0{collection}\0{id}\0"), 0, 0, 0, 1];
            byte[] plaintext = new byte[row.Length - 8 - 12 - 16];
            Vaultlib.Internal.AesGcmPool ciphers = vault.RecordCipherOf(1, $"{purpose}/{Service}")!;
            using (Vaultlib.Internal.AesGcmPool.Lease gcm = ciphers.Rent())
            {
                gcm.Cipher.Decrypt(row.AsSpan(8, 12), row.AsSpan(20, plaintext.Length), row.AsSpan(row.Length - 16), plaintext, aad);
            }

            return Convert.ToHexString(plaintext);
        }

        Assert.Equal(Convert.ToHexString("value"u8), Opened("records", "things", "a"));
        Assert.StartsWith("0000000000000001" + "0000000000000001", Opened("manifest", Manifest, "root"), StringComparison.Ordinal); // one record, one commit
        Assert.Throws<AuthenticationTagMismatchException>(() => Opened("manifest", "things", "a"));
        Assert.Throws<AuthenticationTagMismatchException>(() => Opened("records", Manifest, "root"));
    }

    [Fact]
    public void The_generation_of_a_sealed_record_is_read_from_its_header_and_a_shorter_record_has_none()
    {
        Assert.Equal(7, ServiceRecords.GenerationOf([.. "VLR2"u8, 0, 0, 0, 7]));
        Assert.Equal(0, ServiceRecords.GenerationOf([.. "VLR2"u8, 0, 0, 7]));
        Assert.Equal(0, ServiceRecords.GenerationOf([]));
    }

    [Fact]
    public async Task The_plaintext_a_reader_was_shown_is_zeroed_once_it_returns()
    {
        await using Vault vault = OpenVault();
        await Put(vault, "a", "a secret value");
        ArraySegment<byte> shown = default;
        string? read = null;
        await vault.Records(Service).ReadAsync("things", "a", (_, _, plaintext) =>
        {
            read = Encoding.UTF8.GetString(plaintext.Span);
            Assert.True(MemoryMarshal.TryGetArray(plaintext, out shown));
        }, CancellationToken.None);

        Assert.Equal("a secret value", read);
        Assert.Equal(new byte[shown.Count], shown.ToArray());
    }

    [Fact]
    public async Task An_instance_whose_cached_manifest_another_instance_moved_reads_it_again_and_commits()
    {
        // Two ids in different buckets: "a" for the first instance, and "y" … for the second.
        int bucketOfA = ServiceRecords.BucketIndexOf("things", "a");
        string other = Enumerable.Range(0, 1000).Select(i => $"y{i}").First(id => ServiceRecords.BucketIndexOf("things", id) != bucketOfA);
        string third = Enumerable.Range(0, 1000).Select(i => $"z{i}").First(id => ServiceRecords.BucketIndexOf("things", id) == ServiceRecords.BucketIndexOf("things", other));

        await using Vault first = OpenVault();
        await using Vault second = OpenVault();
        ServiceRecords records = first.Records(Service); // one instance's records, with their manifest cache
        static PlainWrite Write(string id, string value) => new("things", id, 0, Encoding.UTF8.GetBytes(value));
        await records.CommitAsync([Write("a", "one")], CancellationToken.None); // caches the root and a's bucket
        await Put(second, other, "two"); // the second instance moves the root, and writes the other bucket

        // The first reads the other bucket fresh against its cached (older) root: they disagree, so it drops its cache and reads again.
        await records.CommitAsync([Write(third, "three")], CancellationToken.None);

        Assert.Equal(["one", "three", "two"], (await Load(first)).Values.Order());
        Assert.Equal(3, (await Load(second)).Count);
    }

    [Fact]
    public async Task An_instance_whose_cached_root_another_instance_replaced_retries_its_commit_on_the_new_one()
    {
        await using Vault first = OpenVault();
        await using Vault second = OpenVault();
        ServiceRecords records = first.Records(Service);
        CommitResult a = await records.CommitAsync([new PlainWrite("things", "a", 0, "one"u8.ToArray())], CancellationToken.None);
        await Put(second, "a", "two", expected: a.Versions[0]); // the same bucket: the cached root and bucket are both old now

        CommitResult b = await records.CommitAsync([new PlainWrite("things", "a", a.Versions[0] + 1, "three"u8.ToArray()), new PlainWrite("things", "b", 0, "four"u8.ToArray())], CancellationToken.None);

        Assert.Equal([a.Versions[0] + 2, 1], b.Versions); // one version per record written, in order: no manifest versions
        Assert.Equal(["four", "three"], (await Load(first)).Values.Order());
    }

    [Fact]
    public async Task Deleting_a_record_that_does_not_exist_leaves_the_manifest_count_right()
    {
        await using (Vault vault = OpenVault())
        {
            await Put(vault, "a", "value");
            await vault.Records(Service).CommitAsync([new PlainWrite("things", "never", 0, null)], CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        await using Vault reopened = OpenVault();
        Assert.Equal("value", Assert.Single(await Load(reopened)).Value);
    }

    [Fact]
    public async Task A_rotation_that_finds_only_the_manifest_on_the_old_key_re_seals_it_and_advances_the_rollback_counter()
    {
        var counter = new MemoryCounter();
        using var newKey = VaultRootKey.FromBytes(Vaultlib.Tests.TestSupport.TestData.RandomBytes(32));
        // "a" is deleted; "kept" lives in another bucket. Re-sealing "kept" re-seals its bucket and the root, but a's
        // bucket (empty now) is left on the old key, and only the manifest pass finds it.
        string kept = Enumerable.Range(0, 1000).Select(i => $"k{i}").First(id => ServiceRecords.BucketIndexOf("things", id) != ServiceRecords.BucketIndexOf("things", "a"));
        await using (Vault vault = OpenVault(counter: counter))
        {
            CommitResult put = await Put(vault, "a", "value");
            await vault.Records(Service).CommitAsync([new PlainWrite("things", "a", put.Versions[0], null)], CancellationToken.None);
            Assert.Equal(0, await vault.RotateRootKeyAsync(newKey)); // no record to re-seal: only the manifest
            Assert.All(ManifestBuckets(), b => Assert.Equal(2, ServiceRecords.GenerationOf(b.Value)));
            Assert.Equal(3, await counter.ReadAsync(vault.VaultId, Service, CancellationToken.None));
        }

        using var newerKey = VaultRootKey.FromBytes(Vaultlib.Tests.TestSupport.TestData.RandomBytes(32));
        await using (Vault vault = OpenVault(newKey, counter: counter))
        {
            await Put(vault, kept, "kept");
            Assert.Equal(1, await vault.RotateRootKeyAsync(newerKey));
            Assert.All(ManifestBuckets(), b => Assert.Equal(3, ServiceRecords.GenerationOf(b.Value)));
        }

        SqliteConnection.ClearAllPools();
        await using Vault reopened = OpenVault(newerKey, counter: counter);
        Assert.Equal("kept", Assert.Single(await Load(reopened)).Value);
        await Put(reopened, "b", "after");
        Assert.Equal("after", (await Load(reopened))["things/b"]);
    }
}
