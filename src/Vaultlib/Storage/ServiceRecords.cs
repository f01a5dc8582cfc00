using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>Receives one record's plaintext while it is loaded; the memory is zeroed when the callback returns, so copy what must outlive it.</summary>
internal delegate void SealedRecordVisitor(RecordKey key, long version, ReadOnlyMemory<byte> plaintext);

/// <summary>One record to write: new plaintext (sealed here), or null to delete it.</summary>
internal readonly record struct PlainWrite(string Collection, string Id, long ExpectedVersion, ReadOnlyMemory<byte>? Plaintext);

/// <summary>
/// One service's records in a vault: every record sealed with AES-256-GCM under a key derived from
/// the vault's root key for this service, bound to its service, collection, id and root key
/// generation; and a sealed manifest, written in the same transaction as the records, that says
/// which records exist and which copy of each is current. Loading checks every record against it,
/// so a record that was deleted, added, or replaced by an older copy is named in a
/// <see cref="VaultStoreException"/>. Format: docs/storage.md.
/// </summary>
internal sealed partial class ServiceRecords
{
    public const string ManifestCollection = "_manifest";
    private const int BucketCount = 64;
    private const int DigestSize = 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 8; // magic + generation
    private static ReadOnlySpan<byte> Magic => "VLR2"u8;

    private readonly Vault _vault;
    private readonly string _service;
    private readonly RecordKey _rootKey;
    private readonly string _recordsPurpose;
    private readonly string _manifestPurpose;

    // The manifest records as this instance last wrote or read them: a commit reads them from the
    // store only when another instance has moved them (its compare-and-swap fails, and the cache is dropped).
    private readonly Dictionary<string, StoredRecord?> _manifestCache = new(StringComparer.Ordinal);
    private readonly Lock _cacheGate = new();

    public ServiceRecords(Vault vault, string service)
    {
        _vault = vault;
        _service = service;
        _rootKey = new RecordKey(service, ManifestCollection, "root");
        _recordsPurpose = "records/" + service;
        _manifestPurpose = "manifest/" + service;
    }

    public string Service => _service;

    /// <summary>Opens every record of the service, checked against the manifest, and returns the feed position they reflect.</summary>
    /// <exception cref="VaultStoreException">A record fails authentication, or the records and the manifest disagree; the message names the record.</exception>
    public async ValueTask<long> LoadAsync(SealedRecordVisitor visitor, CancellationToken cancellationToken)
    {
        StoreSnapshot snapshot = await _vault.Store.ReadAllAsync(_service, cancellationToken).ConfigureAwait(false);
        var manifestRecords = snapshot.Records.Where(r => r.Key.Collection == ManifestCollection).ToDictionary(r => r.Key.Id, StringComparer.Ordinal);
        Manifest manifest = OpenManifest(manifestRecords.GetValueOrDefault("root"), id => manifestRecords.GetValueOrDefault(id));
        await _vault.CheckRollbackAsync(_service, manifest.Counter, cancellationToken).ConfigureAwait(false);
        // Stryker disable all : a cache of the manifest records read here; without it, a commit reads them from the store (the same records)
        lock (_cacheGate)
        {
            _manifestCache.Clear();
            _manifestCache["root"] = manifestRecords.GetValueOrDefault("root");
            for (int b = 0; b < BucketCount; b++)
            {
                string id = BucketId(b);
                _manifestCache[id] = manifestRecords.GetValueOrDefault(id);
            }
        }

        // Stryker restore all
        var expected = new Dictionary<(string, string), byte[]>(manifest.Entries);
        foreach (StoredRecord record in snapshot.Records)
        {
            if (record.Key.Collection == ManifestCollection)
            {
                continue;
            }

            if (!expected.Remove((record.Key.Collection, record.Key.Id), out byte[]? digest))
            {
                throw Tampered(record.Key, "is not in the vault's manifest: it was added behind the vault's back, or the manifest was rolled back");
            }

            if (!CryptographicOperations.FixedTimeEquals(digest, Digest(record.Data.Span)))
            {
                throw Tampered(record.Key, "is not the copy the manifest records: an older copy was put back, or it was altered");
            }

            Open(record, visitor);
        }

        if (expected.Count > 0)
        {
            // Stryker disable once Linq : First ⇄ FirstOrDefault under Count > 0
            (string collection, string id) = expected.Keys.Order().First();
            throw Tampered(new RecordKey(_service, collection, id), $"is missing: it was deleted behind the vault's back ({expected.Count} record(s) missing in all)");
        }

        return snapshot.Position;
    }

    /// <summary>
    /// Seals <paramref name="plaintext"/> as this service's record <paramref name="collection"/>/<paramref name="id"/>
    /// would be sealed now: for tests that forge records which authenticate but are malformed (a manifest root of the
    /// wrong length, a bucket that does not parse), which no attacker without the root key can write.
    /// </summary>
    internal byte[] SealForTests(string collection, string id, ReadOnlySpan<byte> plaintext) =>
        Seal(new RecordKey(_service, collection, id), plaintext);

    /// <summary>Reads and opens one record as it is now (for the change feed); null when it no longer exists.</summary>
    public async ValueTask<bool> ReadAsync(string collection, string id, SealedRecordVisitor visitor, CancellationToken cancellationToken)
    {
        StoredRecord? record = await _vault.Store.ReadAsync(new RecordKey(_service, collection, id), cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return false;
        }

        Open(record, visitor);
        return true;
    }

    /// <summary>Seals and commits <paramref name="writes"/> with the manifest, atomically; returns the records' new versions.</summary>
    /// <exception cref="RecordConflictException">A record is not at the version its write expected (a manifest race is retried here).</exception>
    public async ValueTask<CommitResult> CommitAsync(IReadOnlyList<PlainWrite> writes, CancellationToken cancellationToken)
    {
        (System.Diagnostics.Activity?, long) commit = StoreTelemetry.StartCommit(_service, writes.Count);
        try
        {
            CommitResult result = await CommitSealedAsync(writes, cancellationToken).ConfigureAwait(false);
            StoreTelemetry.EndCommit(commit, _service, errorCode: null);
            return result;
        }
        catch (Exception ex)
        {
            StoreTelemetry.EndCommit(commit, _service, VaultlibException.CodeOf(ex));
            throw;
        }
    }

    private async ValueTask<CommitResult> CommitSealedAsync(IReadOnlyList<PlainWrite> writes, CancellationToken cancellationToken)
    {
        // Each record's bucket is found once (a SHA-256 of its name), not again on every attempt.
        var sealedData = new (RecordKey Key, byte[]? Sealed, int Bucket)[writes.Count];
        for (int i = 0; i < writes.Count; i++)
        {
            var key = new RecordKey(_service, writes[i].Collection, writes[i].Id);
            sealedData[i] = (key, writes[i].Plaintext is { } plaintext ? Seal(key, plaintext.Span) : null, BucketIndexOf(key.Collection, key.Id));
        }

        // The buckets this commit touches, found once. No `.Count` is read inside the attempt loop: Stryker mutates
        // `.Count` to `.Sum`, which does not compile, and its rollback then drops the whole loop body's removal too.
        int[] bucketIndexes = [.. sealedData.Select(d => d.Bucket).Distinct()];
        string? lastRead = null;
        // Stryker disable once Update : the attempt count bounds retries after a race with another instance
        for (int attempt = 1; ; attempt++)
        {
            StoredRecord? rootRecord = await ManifestRecordAsync("root", cancellationToken).ConfigureAwait(false);
            var buckets = new Dictionary<string, StoredRecord?>(StringComparer.Ordinal);
            foreach (int index in bucketIndexes)
            {
                string bucket = BucketId(index);
                buckets[bucket] = await ManifestRecordAsync(bucket, cancellationToken).ConfigureAwait(false);
            }

            Manifest? manifest = OpenManifestToCommit(rootRecord, buckets, attempt, ref lastRead);
            if (manifest is null)
            {
                continue;
            }

            long count = manifest.RecordCount;
            foreach ((RecordKey key, byte[]? data, int index) in sealedData)
            {
                Dictionary<(string, string), byte[]> bucket = manifest.Buckets[index];
                bool existed = bucket.ContainsKey((key.Collection, key.Id));
                if (data is null)
                {
                    count -= existed ? 1 : 0;
                    bucket.Remove((key.Collection, key.Id));
                }
                else
                {
                    count += existed ? 0 : 1;
                    bucket[(key.Collection, key.Id)] = Digest(data);
                }
            }

            // The records first, then the buckets touched, then the root.
            var all = new RecordWrite[sealedData.Length + bucketIndexes.Length + 1];
            for (int i = 0; i < sealedData.Length; i++)
            {
                all[i] = sealedData[i].Sealed is { } sealedBytes
                    ? RecordWrite.Put(sealedData[i].Key, writes[i].ExpectedVersion, sealedBytes)
                    : RecordWrite.Delete(sealedData[i].Key, writes[i].ExpectedVersion);
            }

            byte[][] bucketDigests = manifest.BucketDigests;
            int next = sealedData.Length;
            foreach ((string bucket, StoredRecord? stored) in buckets)
            {
                var bucketKey = new RecordKey(_service, ManifestCollection, bucket);
                int index = int.Parse(bucket.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                byte[] sealedBucket = Seal(bucketKey, EncodeBucket(manifest.Buckets[index]));
                bucketDigests[index] = SHA256.HashData(sealedBucket);
                all[next++] = RecordWrite.Put(bucketKey, stored?.Version ?? 0, sealedBucket);
            }

            long counter = manifest.Counter + 1;
            all[next] = RecordWrite.Put(_rootKey, rootRecord?.Version ?? 0, Seal(_rootKey, EncodeRoot(count, counter, bucketDigests)));
            try
            {
                CommitResult result = await _vault.Store.CommitAsync(all, cancellationToken).ConfigureAwait(false);
                // Stryker disable once Block,Equality : a cache left stale (not updated, or the loop over the manifest writes not run) costs the next commit a conflict and a re-read, not a wrong result
                lock (_cacheGate)
                {
                    for (int i = sealedData.Length; i < all.Length; i++)
                    {
                        _manifestCache[all[i].Key.Id] = new StoredRecord(all[i].Key, result.Versions[i], all[i].Data);
                    }
                }

                await _vault.AdvanceRollbackAsync(_service, counter, cancellationToken).ConfigureAwait(false);
                return new CommitResult(result.Position, [.. result.Versions.Take(sealedData.Length)]);
            }
            catch (RecordConflictException ex)
            {
                // Another writer committed records of this service meanwhile: its manifest is newer.
                lock (_cacheGate)
                {
                    _manifestCache.Clear();
                }

                // Stryker disable once Logical,Equality : a record conflict retried ends in the same ConflictException at the 64th attempt (or the 65th)
                if (ex.Key.Collection != ManifestCollection || attempt >= ConflictBackoff.MaxAttempts)
                {
                    throw;
                }

                // Stryker disable once Statement : a random pause between retries, which no test can observe
                await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Re-seals every record of an older root key generation under the current one (root key rotation); returns how many it re-sealed.</summary>
    public async ValueTask<int> ResealAsync(int currentGeneration, CancellationToken cancellationToken)
    {
        int count = 0;
        for (; ; )
        {
            StoreSnapshot snapshot = await _vault.Store.ReadAllAsync(_service, cancellationToken).ConfigureAwait(false);
            StoredRecord[] stale = [.. snapshot.Records.Where(r => r.Key.Collection != ManifestCollection && GenerationOf(r.Data.Span) != currentGeneration).Take(100)];
            bool manifestStale = snapshot.Records.Any(r => r.Key.Collection == ManifestCollection && GenerationOf(r.Data.Span) != currentGeneration);
            if (stale.Length == 0 && !manifestStale)
            {
                return count;
            }

            if (stale.Length == 0)
            {
                // Only the manifest is left on the old key: any commit re-seals the root; touch every bucket.
                await RewriteManifestAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Open visits each record or throws, so there is one write per stale record. (Counts are read from the
            // array: Stryker's `.Count` to `.Sum` mutant does not compile, and its rollback takes the enclosing removal with it.)
            var writes = new List<PlainWrite>();
            var buffers = new List<byte[]>();
            try
            {
                foreach (StoredRecord record in stale)
                {
                    Open(record, (key, version, plaintext) =>
                    {
                        byte[] copy = plaintext.ToArray();
                        // Stryker disable once Statement : as below: the copies are zeroed after the commit, which no test can observe
                        buffers.Add(copy);
                        writes.Add(new PlainWrite(key.Collection, key.Id, version, copy));
                    });
                }

                try
                {
                    await CommitAsync(writes, cancellationToken).ConfigureAwait(false);
                    count += stale.Length;
                }
                catch (RecordConflictException)
                {
                    // A record moved under us; it was re-sealed by its writer or will be on the next pass.
                }
            }
            // Stryker disable all : zeroing copies no test can reach after the call (the marker is on the block, since Stryker removes a finally block whole)
            finally
            {
                foreach (byte[] buffer in buffers)
                {
                    CryptographicOperations.ZeroMemory(buffer);
                }
            }

            // Stryker restore all
        }
    }

    private async ValueTask RewriteManifestAsync(CancellationToken cancellationToken)
    {
        // Stryker disable once Update : the attempt count bounds retries after a race with another instance; a single-threaded test has none
        for (int attempt = 1; ; attempt++)
        {
            StoreSnapshot snapshot = await _vault.Store.ReadAllAsync(_service, cancellationToken).ConfigureAwait(false);
            var manifestRecords = snapshot.Records.Where(r => r.Key.Collection == ManifestCollection).ToDictionary(r => r.Key.Id, StringComparer.Ordinal);
            Manifest manifest = OpenManifest(manifestRecords.GetValueOrDefault("root"), id => manifestRecords.GetValueOrDefault(id));
            var all = new List<RecordWrite>();
            byte[][] digests = manifest.BucketDigests;
            foreach ((string id, StoredRecord stored) in manifestRecords.Where(p => p.Key != "root"))
            {
                var key = new RecordKey(_service, ManifestCollection, id);
                int index = int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
                byte[] sealedBucket = Seal(key, EncodeBucket(manifest.Buckets[index]));
                digests[index] = SHA256.HashData(sealedBucket);
                all.Add(RecordWrite.Put(key, stored.Version, sealedBucket));
            }

            all.Add(RecordWrite.Put(_rootKey, manifestRecords["root"].Version, Seal(_rootKey, EncodeRoot(manifest.EntryCount, manifest.Counter + 1, digests))));
            try
            {
                await _vault.Store.CommitAsync(all, cancellationToken).ConfigureAwait(false);
                await _vault.AdvanceRollbackAsync(_service, manifest.Counter + 1, cancellationToken).ConfigureAwait(false);
                return;
            }
            // Stryker disable once Equality : as above: the retry bound of a race no single-threaded test has
            catch (RecordConflictException) when (attempt < ConflictBackoff.MaxAttempts)
            {
                // Stryker disable once Statement : a random pause between retries, which no test can observe
                await ConflictBackoff.DelayAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
