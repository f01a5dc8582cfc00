using System.Collections.Concurrent;
using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>
/// A record store in process memory, sealed under a random key that lives only as long as the
/// store. Thread-safe. Used by the in-memory services so that they run the very same
/// persistence path as the file-backed ones.
/// </summary>
internal sealed class InMemoryRecordStore : RecordStore
{
    private readonly ConcurrentDictionary<(string Collection, string Id), byte[]> _records = new();

    public InMemoryRecordStore()
        : base(SecretBuffer.Random(32))
    {
    }

    private protected override void WriteCore(string collection, string id, byte[] sealedRecord) =>
        _records[(collection, id)] = sealedRecord;

    private protected override void DeleteCore(string collection, string id) =>
        _records.TryRemove((collection, id), out _);

    private protected override IEnumerable<(string Location, byte[] Sealed)> ReadAllCore(string collection) =>
        _records
            .Where(pair => pair.Key.Collection == collection)
            .Select(pair => (Location(collection, pair.Key.Id), pair.Value))
            .ToArray();

    private protected override bool IsLocationOf(string location, string id) =>
        location.EndsWith("/" + id, StringComparison.Ordinal);

    private static string Location(string collection, string id) => $"memory:{collection}/{id}";
}
