namespace Vaultlib.Storage;

/// <summary>The address of one record: the service that owns it, a collection of that service, and the record's id.</summary>
/// <param name="Service">The owning service, e.g. <c>kms/us-east-1/111122223333</c>.</param>
/// <param name="Collection">A collection of the service, e.g. <c>keys</c>.</param>
/// <param name="Id">The record's id within its collection.</param>
public readonly record struct RecordKey(string Service, string Collection, string Id)
{
    /// <summary><c>service/collection/id</c>, as error messages name a record.</summary>
    public override string ToString() => $"{Service}/{Collection}/{Id}";
}

/// <summary>A record as a store holds it: opaque bytes (sealed by Vaultlib before they reach the store) and a version.</summary>
/// <param name="Key">Where it lives.</param>
/// <param name="Version">Assigned by the store: one more than the record's previous version, deleted incarnations included, so a version of a key is never reused.</param>
/// <param name="Data">The sealed bytes.</param>
public sealed record StoredRecord(RecordKey Key, long Version, ReadOnlyMemory<byte> Data);

/// <summary>One change of a transaction: <see cref="Put"/> new bytes, or <see cref="Delete"/> the record.</summary>
public sealed record RecordWrite
{
    private RecordWrite(RecordKey key, long expectedVersion, ReadOnlyMemory<byte> data, bool isDelete)
    {
        Key = key;
        ExpectedVersion = expectedVersion;
        Data = data;
        IsDelete = isDelete;
    }

    /// <summary>The record.</summary>
    public RecordKey Key { get; }

    /// <summary>The version the writer read: 0 when the record must not exist. Any other current version fails the whole transaction.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The new sealed bytes (empty for a delete).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the write deletes the record.</summary>
    public bool IsDelete { get; }

    /// <summary>Stores <paramref name="data"/> as the record's next version.</summary>
    public static RecordWrite Put(RecordKey key, long expectedVersion, ReadOnlyMemory<byte> data) => new(key, expectedVersion, data, isDelete: false);

    /// <summary>Deletes the record.</summary>
    public static RecordWrite Delete(RecordKey key, long expectedVersion) => new(key, expectedVersion, default, isDelete: true);
}

/// <summary>What a committed transaction did.</summary>
/// <param name="Position">Its feed position.</param>
/// <param name="Versions">The version each write left its record at, in the order of the writes.</param>
public sealed record CommitResult(long Position, IReadOnlyList<long> Versions);

/// <summary>One committed change, as the change feed reports it.</summary>
/// <param name="Position">The feed position of the transaction that made it; positions only grow.</param>
/// <param name="Key">The record.</param>
/// <param name="Version">Its version after the change.</param>
/// <param name="Deleted">Whether the change deleted it.</param>
public sealed record RecordChange(long Position, RecordKey Key, long Version, bool Deleted)
{
    /// <summary>
    /// How long before this read the change was committed, by the store's clock (the PostgreSQL server's, the SQLite and
    /// in-memory stores' <see cref="TimeProvider"/>); null when the store does not know (changes written before it
    /// recorded commit times). Vaultlib reports it as the change feed's delay.
    /// </summary>
    public TimeSpan? Age { get; init; }
}

/// <summary>Every record of one service and the feed position they are current as of.</summary>
/// <param name="Records">The records.</param>
/// <param name="Position">Read the change feed after this position to follow the service from here.</param>
public sealed record StoreSnapshot(IReadOnlyList<StoredRecord> Records, long Position);

/// <summary>
/// The storage seam under every Vaultlib service. A store keeps opaque records addressed by
/// (service, collection, id), each with a version; it never sees plaintext, because Vaultlib seals
/// every record before handing it over (docs/storage.md). Implementations are thread-safe and, when
/// several processes share one store, safe across processes. Built in: <see cref="InMemoryVaultStore"/>
/// and <see cref="SqliteVaultStore"/>; <c>Vaultlib.PostgreSql</c> adds a fleet store.
/// </summary>
/// <remarks>
/// What an implementation must guarantee, and the contract tests check:
/// <list type="bullet">
/// <item>A transaction (<see cref="CommitAsync"/>) applies all of its writes or none, and only if every
/// record is still at the version its writer read: a lost update is impossible.</item>
/// <item>Every committed transaction appears in the change feed of its service, in commit order, at
/// a position greater than any earlier one; <see cref="WaitForChangesAsync"/> returns within the
/// store's stated delay of a commit made by anyone sharing the store.</item>
/// <item>A lease is held by at most one holder at a time, and passes to another once it expires.</item>
/// <item>An acknowledged commit survives the process being killed.</item>
/// </list>
/// </remarks>
public interface IVaultStore : IAsyncDisposable
{
    /// <summary>Where the store lives, for messages (a file path, a database name); never a secret.</summary>
    string Location { get; }

    /// <summary>The services that have records in the store.</summary>
    ValueTask<IReadOnlyList<string>> ListServicesAsync(CancellationToken cancellationToken = default);

    /// <summary>Every record of <paramref name="service"/>, and the feed position they reflect.</summary>
    ValueTask<StoreSnapshot> ReadAllAsync(string service, CancellationToken cancellationToken = default);

    /// <summary>One record, or null when it does not exist.</summary>
    ValueTask<StoredRecord?> ReadAsync(RecordKey key, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="writes"/> (all of one service) atomically; returns the transaction's feed position and the records' new versions.</summary>
    /// <exception cref="RecordConflictException">A record is not at the version its write expected; nothing was applied.</exception>
    ValueTask<CommitResult> CommitAsync(IReadOnlyList<RecordWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>The changes of <paramref name="service"/> after <paramref name="afterPosition"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<RecordChange>> ReadChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default);

    /// <summary>Completes when changes after <paramref name="afterPosition"/> may exist (it may complete early; read the feed to know).</summary>
    Task WaitForChangesAsync(string service, long afterPosition, CancellationToken cancellationToken = default);

    /// <summary>Takes or renews the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="duration"/> from now; false when another holder has it.</summary>
    ValueTask<bool> TryAcquireLeaseAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up, if <paramref name="holder"/> has it.</summary>
    ValueTask ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default);
}

/// <summary>A transaction lost a race: a record it writes is not at the version it read. Nothing was applied; read again and retry.</summary>
public sealed class RecordConflictException : VaultlibException
{
    /// <summary>Creates the error for <paramref name="key"/>.</summary>
    public RecordConflictException(RecordKey key, long expectedVersion, long actualVersion)
        : base("ConflictException", $"The record {key} is at version {actualVersion}, not the {expectedVersion} the writer read.")
    {
        Key = key;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The record that moved.</summary>
    public RecordKey Key { get; }

    /// <summary>The version the writer read (0: absent).</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version the store has (0: absent).</summary>
    public long ActualVersion { get; }
}
