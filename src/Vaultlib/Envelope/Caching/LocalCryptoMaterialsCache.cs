using System.Runtime.InteropServices;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// An in-process cache of encryption and decryption materials (the ESDK's
/// <c>LocalCryptoMaterialsCache</c>) for <see cref="CachingCryptoMaterialsManager"/>: a fixed
/// capacity with least-recently-used eviction, a time-to-live per entry, and per-entry usage
/// counters that are bumped atomically with each lookup. An evicted or expired entry's data key is
/// zeroed as soon as no message in flight holds it. Thread-safe.
/// </summary>
public sealed class LocalCryptoMaterialsCache : IDisposable
{
    private readonly Dictionary<CacheId, Entry> _entries;
    private readonly LinkedList<Entry> _lru = new();
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates a cache of at most <paramref name="capacity"/> entries.</summary>
    /// <param name="capacity">At least 1.</param>
    /// <param name="timeProvider">The clock for entry ages; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The capacity is less than 1.</exception>
    public LocalCryptoMaterialsCache(int capacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new Dictionary<CacheId, Entry>(Math.Min(capacity, 1024));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The most entries the cache holds.</summary>
    public int Capacity { get; }

    /// <summary>The number of entries now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    internal TimeProvider Time => _time;

    /// <summary>Removes every entry (their data keys are zeroed once no message holds them).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (Entry entry in _entries.Values)
            {
                entry.Materials.Dispose();
            }

            _entries.Clear();
            _lru.Clear();
        }
    }

    /// <summary>
    /// Looks up encryption materials and, in the same step, counts one more message of
    /// <paramref name="plaintextLength"/> bytes against the entry. Returns a handle on the shared
    /// materials (dispose it) and the usage after the increment, or null on a miss or an expired entry.
    /// </summary>
    internal EncryptionMaterials? GetForEncrypt(in CacheId id, long plaintextLength, out EntryUsage usage)
    {
        usage = default;
        lock (_gate)
        {
            Entry? entry = Find(id);
            CacheMetrics.Lookup(CacheMetrics.CryptoMaterials, "encrypt", entry is not null);
            if (entry is null)
            {
                return null;
            }

            entry.Messages++;
            // Stryker disable once Equality : at equality the sum is long.MaxValue, the saturated value
            entry.Bytes = entry.Bytes > long.MaxValue - plaintextLength ? long.MaxValue : entry.Bytes + plaintextLength;
            usage = new EntryUsage(entry.Messages, entry.Bytes, entry.CreatedTimestamp);
            return ((EncryptionMaterials)entry.Materials).Share();
        }
    }

    /// <summary>Looks up decryption materials; a handle on the shared materials, or null.</summary>
    internal DecryptionMaterials? GetForDecrypt(in CacheId id, out EntryUsage usage)
    {
        usage = default;
        lock (_gate)
        {
            Entry? entry = Find(id);
            CacheMetrics.Lookup(CacheMetrics.CryptoMaterials, "decrypt", entry is not null);
            if (entry is null)
            {
                return null;
            }

            usage = new EntryUsage(entry.Messages, entry.Bytes, entry.CreatedTimestamp);
            return ((DecryptionMaterials)entry.Materials).Share();
        }
    }

    /// <summary>
    /// Stores materials (the cache takes ownership of <paramref name="materials"/>) with their
    /// first use already counted, replacing an entry with the same id and evicting the least
    /// recently used entries beyond capacity.
    /// </summary>
    internal void Put(in CacheId id, CryptoMaterials materials, TimeSpan maxAge, long messages, long bytes)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.Remove(id, out Entry? existing))
            {
                Evict(existing, "replaced");
            }

            for (LinkedListNode<Entry>? oldest = _lru.Last; _entries.Count >= Capacity && oldest is not null; oldest = _lru.Last)
            {
                _entries.Remove(oldest.Value.Id);
                Evict(oldest.Value, "capacity");
            }

            long now = _time.GetTimestamp();
            var entry = new Entry(id, materials, now, maxAge) { Messages = messages, Bytes = bytes };
            entry.Node = _lru.AddFirst(entry);
            _entries.Add(id, entry);
        }
    }

    /// <summary>Removes an entry (its limits were reached).</summary>
    internal void Remove(in CacheId id)
    {
        lock (_gate)
        {
            if (_entries.Remove(id, out Entry? entry))
            {
                Evict(entry, "limits");
            }
        }
    }

    /// <summary>Zeroes and drops every entry.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Clear();
    }

    private Entry? Find(in CacheId id)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_entries.TryGetValue(id, out Entry? entry))
        {
            return null;
        }

        if (_time.GetElapsedTime(entry.CreatedTimestamp) > entry.MaxAge)
        {
            _entries.Remove(id);
            Evict(entry, "expired");
            return null;
        }

        if (entry.Node!.Previous is not null)
        {
            _lru.Remove(entry.Node);
            _lru.AddFirst(entry.Node);
        }

        return entry;
    }

    private void Evict(Entry entry, string reason)
    {
        _lru.Remove(entry.Node!);
        entry.Materials.Dispose();
        CacheMetrics.Evicted(CacheMetrics.CryptoMaterials, reason);
    }

    /// <summary>Entry count and capacity only.</summary>
    public override string ToString() => $"LocalCryptoMaterialsCache({Count}/{Capacity})";

    private sealed class Entry(CacheId id, CryptoMaterials materials, long createdTimestamp, TimeSpan maxAge)
    {
        public CacheId Id { get; } = id;

        public CryptoMaterials Materials { get; } = materials;

        public long CreatedTimestamp { get; } = createdTimestamp;

        public TimeSpan MaxAge { get; } = maxAge;

        public long Messages { get; set; }

        public long Bytes { get; set; }

        public LinkedListNode<Entry>? Node { get; set; }
    }
}

/// <summary>A snapshot of an entry's usage, taken with the increment.</summary>
internal readonly record struct EntryUsage(long Messages, long Bytes, long CreatedTimestamp);

/// <summary>A SHA-512 cache entry id, compared by value without allocating.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct CacheId(Int128 A, Int128 B, Int128 C, Int128 D)
{
    public static CacheId From(ReadOnlySpan<byte> sha512) => MemoryMarshal.Read<CacheId>(sha512);
}
