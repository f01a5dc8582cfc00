namespace Vaultlib.Envelope;

/// <summary>
/// The hierarchical keyring's cache of branch key materials: each entry lives for the keyring's TTL from when it was
/// fetched (on the injected clock), and past the maximum size the least recently used entry goes. An entry evicted
/// while a message uses it stays readable until that message releases it; then its key is zeroed.
/// </summary>
internal sealed class BranchKeyCache(int maxEntries, TimeSpan ttl, TimeProvider time)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly object _gate = new();

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

    /// <summary>A live entry, with a reference the caller releases (<see cref="BranchKeyMaterials.Release"/>); null on a miss.</summary>
    public BranchKeyMaterials? TryGet(string id)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out LinkedListNode<Entry>? node))
            {
                return null;
            }

            if (time.GetUtcNow() - node.Value.FetchedAt >= ttl || !node.Value.Materials.TryAcquire())
            {
                Remove(node);
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value.Materials;
        }
    }

    /// <summary>Caches <paramref name="materials"/> (the cache owns them now) and returns them with a reference for the caller.</summary>
    public BranchKeyMaterials Add(string id, BranchKeyMaterials materials)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(id, out LinkedListNode<Entry>? old))
            {
                Remove(old);
            }

            ObjectDisposedException.ThrowIf(!materials.TryAcquire(), materials);

            if (maxEntries == 0)
            {
                materials.Dispose(); // a cache of size 0 keeps nothing; the caller's reference keeps the key alive
                return materials;
            }

            while (_entries.Count >= maxEntries)
            {
                Remove(_recency.Last!);
            }

            _entries[id] = _recency.AddFirst(new Entry(id, materials, time.GetUtcNow()));
            return materials;
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _entries.Remove(node.Value.Id);
        node.Value.Materials.Dispose();
    }

    private sealed record Entry(string Id, BranchKeyMaterials Materials, DateTimeOffset FetchedAt);
}
