using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>The sealed manifest of <see cref="ServiceRecords"/>: its buckets, its root, their encoding, and reading them for a commit.</summary>
internal sealed partial class ServiceRecords
{
    /// <summary>The manifest: the records that exist and the digest of each one's current copy, in 64 sealed buckets under a sealed root.</summary>
    private sealed class Manifest
    {
        /// <summary>Each bucket's entries, as decoded from it: a commit re-encodes a bucket without hashing every entry's name again to find its bucket.</summary>
        public Dictionary<(string, string), byte[]>[] Buckets { get; } = [.. Enumerable.Range(0, BucketCount).Select(_ => new Dictionary<(string, string), byte[]>())];

        /// <summary>Every entry of the buckets opened.</summary>
        public IEnumerable<KeyValuePair<(string, string), byte[]>> Entries => Buckets.SelectMany(b => b);

        /// <summary>How many entries the buckets opened hold.</summary>
        public int EntryCount => Buckets.Sum(b => b.Count);

        public byte[][] BucketDigests { get; init; } = [.. Enumerable.Range(0, BucketCount).Select(_ => new byte[32])];

        public long Counter { get; init; }

        /// <summary>How many records the root says exist (named so that no <c>.Count</c> read sits in the commit loop: Stryker's LINQ mutant of it does not compile and takes the loop's removal with it).</summary>
        public long RecordCount { get; init; }
    }

    private Manifest OpenManifest(StoredRecord? root, Func<string, StoredRecord?> bucketOf, IEnumerable<string>? onlyBuckets = null)
    {
        if (root is null)
        {
            // Stryker disable once Equality : a 65th bucket id ("b64") is never written, so looking it up finds nothing either way
            for (int b = 0; b < BucketCount; b++)
            {
                string id = "b" + b.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
                if (bucketOf(id) is not null)
                {
                    throw Tampered(_rootKey, "is missing while its buckets exist: the manifest was deleted behind the vault's back");
                }
            }

            return new Manifest();
        }

        long count = 0, counter = 0;
        byte[][] digests = new byte[BucketCount][];
        Open(root, (_, _, plaintext) =>
        {
            ReadOnlySpan<byte> span = plaintext.Span;
            if (span.Length != 16 + (BucketCount * 32))
            {
                throw Tampered(_rootKey, "has an unexpected length");
            }

            count = BinaryPrimitives.ReadInt64BigEndian(span);
            counter = BinaryPrimitives.ReadInt64BigEndian(span[8..]);
            for (int b = 0; b < BucketCount; b++)
            {
                digests[b] = span.Slice(16 + (b * 32), 32).ToArray();
            }
        });
        var manifest = new Manifest { BucketDigests = digests, Counter = counter, RecordCount = count };
        HashSet<string>? only = onlyBuckets is null ? null : new HashSet<string>(onlyBuckets, StringComparer.Ordinal);
        for (int b = 0; b < BucketCount; b++)
        {
            string id = "b" + b.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
            if (only is not null && !only.Contains(id))
            {
                continue;
            }

            var key = new RecordKey(_service, ManifestCollection, id);
            StoredRecord? bucket = bucketOf(id);
            byte[] actual = bucket is null ? new byte[32] : SHA256.HashData(bucket.Data.Span);
            if (!CryptographicOperations.FixedTimeEquals(actual, digests[b]))
            {
                throw Tampered(key, bucket is null ? "is missing: the manifest bucket was deleted behind the vault's back" : "is not the copy the manifest root records: an older copy was put back, or it was altered");
            }

            if (bucket is not null)
            {
                Dictionary<(string, string), byte[]> entries = manifest.Buckets[b];
                Open(bucket, (_, _, plaintext) => DecodeBucket(key, plaintext.Span, entries));
            }
        }

        if (only is null && manifest.EntryCount != count)
        {
            throw Tampered(_rootKey, $"records {count} records but its buckets list {manifest.EntryCount}");
        }

        return manifest;
    }

    private static byte[] EncodeRoot(long count, long counter, byte[][] digests)
    {
        byte[] root = new byte[16 + (BucketCount * 32)];
        BinaryPrimitives.WriteInt64BigEndian(root, count);
        BinaryPrimitives.WriteInt64BigEndian(root.AsSpan(8), counter);
        for (int b = 0; b < BucketCount; b++)
        {
            digests[b].CopyTo(root.AsSpan(16 + (b * 32)));
        }

        return root;
    }

    private static byte[] EncodeBucket(IEnumerable<KeyValuePair<(string, string), byte[]>> entries)
    {
        using var buffer = new MemoryStream();
        Span<byte> lengths = stackalloc byte[4];
        // Stryker disable once Linq : the order is for readable dumps only; decoding fills a dictionary, and the sealed bucket's digest changes with every seal anyway
        foreach (((string collection, string id), byte[] digest) in entries.OrderBy(e => e.Key.Item1, StringComparer.Ordinal).ThenBy(e => e.Key.Item2, StringComparer.Ordinal))
        {
            byte[] c = StrictUtf8.Encoding.GetBytes(collection), i = StrictUtf8.Encoding.GetBytes(id);
            BinaryPrimitives.WriteUInt16BigEndian(lengths, (ushort)c.Length);
            BinaryPrimitives.WriteUInt16BigEndian(lengths[2..], (ushort)i.Length);
            buffer.Write(lengths);
            buffer.Write(c);
            buffer.Write(i);
            buffer.Write(digest);
        }

        return buffer.ToArray();
    }

    private static void DecodeBucket(RecordKey bucket, ReadOnlySpan<byte> span, Dictionary<(string, string), byte[]> entries)
    {
        try
        {
            while (!span.IsEmpty)
            {
                int c = BinaryPrimitives.ReadUInt16BigEndian(span), i = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
                string collection = StrictUtf8.Encoding.GetString(span.Slice(4, c));
                string id = StrictUtf8.Encoding.GetString(span.Slice(4 + c, i));
                entries[(collection, id)] = span.Slice(4 + c + i, DigestSize).ToArray();
                span = span[(4 + c + i + DigestSize)..];
            }
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or DecoderFallbackException)
        {
            throw Tampered(bucket, "is malformed");
        }
    }

    private static VaultStoreException Tampered(RecordKey key, string reason) =>
        new(VaultStoreFailure.Tampered, key.ToString(), $"The vault record {key} cannot be trusted: it {reason}.");

    /// <summary>The manifest of the records a commit writes, or null when it should be read again.</summary>
    private Manifest? OpenManifestToCommit(StoredRecord? rootRecord, Dictionary<string, StoredRecord?> buckets, int attempt, ref string? lastRead)
    {
        try
        {
            return OpenManifest(rootRecord, id => buckets.GetValueOrDefault(id), onlyBuckets: buckets.Keys);
        }
        // Stryker disable once Logical,Equality,Block : the retry bound of a race, and `return default` is this null
        catch (VaultStoreException ex) when (ex.Failure == VaultStoreFailure.Tampered && attempt < ConflictBackoff.MaxAttempts && ManifestReadMoved(rootRecord, buckets, ref lastRead))
        {
            // The root and its buckets are separate reads (and a cached one may be old): another instance's commit
            // between them makes them disagree. Read both again; the same copies disagreeing twice is tampering.
            return null;
        }
    }

    /// <summary>
    /// After the manifest records a commit read disagree: whether these are other copies than the last ones that
    /// disagreed (then the cache is dropped, to read them again), or the very same ones (then it is tampering).
    /// </summary>
    private bool ManifestReadMoved(StoredRecord? root, Dictionary<string, StoredRecord?> buckets, ref string? lastRead)
    {
        // Stryker disable once all : any encoding that tells different versions apart does; the tests pin that a moved copy is read again
        string read = string.Join(',', buckets.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}@{b.Value?.Version ?? 0}").Prepend($"root@{root?.Version ?? 0}"));
        // Stryker disable once Block,Boolean : retrying the same disagreeing copies ends in the same Tampered error at the 64th attempt
        if (read == lastRead)
        {
            return false;
        }

        lastRead = read;
        lock (_cacheGate)
        {
            _manifestCache.Clear();
        }

        return true;
    }

    private async ValueTask<StoredRecord?> ManifestRecordAsync(string id, CancellationToken cancellationToken)
    {
        // Stryker disable once Block : the cache saves a read; a commit that reads the store each time sees the same records
        lock (_cacheGate)
        {
            if (_manifestCache.TryGetValue(id, out StoredRecord? cached))
            {
                return cached;
            }
        }

        StoredRecord? stored = await _vault.Store.ReadAsync(new RecordKey(_service, ManifestCollection, id), cancellationToken).ConfigureAwait(false);
        // Stryker disable once Block : as above: the cache saves a read
        lock (_cacheGate)
        {
            _manifestCache[id] = stored;
        }

        return stored;
    }
}
