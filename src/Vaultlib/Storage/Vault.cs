using Vaultlib.Internal;

namespace Vaultlib.Storage;

/// <summary>
/// An opened vault: a store (<see cref="IVaultStore"/>) and the root key its records are sealed
/// under. Every Vaultlib service of every region and account keeps its records in one vault, each
/// under keys derived for that service. Nothing reaches the store in plaintext.
/// </summary>
/// <example>
/// <code>
/// using VaultRootKey rootKey = VaultRootKey.FromKeyFile("/run/secrets/vault.key");
/// await using Vault vault = Vault.OpenSqlite("/var/lib/myapp/vault.db", rootKey);
/// </code>
/// </example>
public sealed class Vault : IAsyncDisposable, IDisposable
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, SecretBuffer> _masters = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Generation, string Purpose), RecordCipher> _recordCiphers = new();
    private readonly bool _ownsStore;
    private readonly IVaultRollbackCounter? _rollbackCounter;
    private VaultHeader _header;
    private int _disposed;

    private Vault(IVaultStore store, bool ownsStore, VaultHeader header, IVaultRollbackCounter? rollbackCounter)
    {
        Store = store;
        _ownsStore = ownsStore;
        _header = header;
        _rollbackCounter = rollbackCounter;
    }

    /// <summary>The store the vault's sealed records live in.</summary>
    public IVaultStore Store { get; }

    /// <summary>The vault's random id (the salt of its key derivation).</summary>
    public Guid VaultId => _header.VaultId;

    /// <summary>The generation of the root key new records are sealed under: 1, then one more per rotation.</summary>
    public int RootKeyGeneration => CurrentMaster.Generation;

    /// <summary>A vault in process memory under a random root key: for tests and fakes.</summary>
    public static Vault CreateInMemory(TimeProvider? timeProvider = null)
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(VaultRootKey.KeySizeInBytes));
        return Open(new InMemoryVaultStore(timeProvider), rootKey, null, null, ownsStore: true);
    }

    /// <summary>Opens (or creates) the SQLite vault file at <paramref name="path"/>, sealed under <paramref name="rootKey"/>.</summary>
    /// <param name="path">The vault file.</param>
    /// <param name="rootKey">The root key; used while opening, and the caller keeps ownership.</param>
    /// <param name="previousRootKey">The root key before an unfinished rotation (see <see cref="RotateRootKeyAsync"/>).</param>
    /// <param name="timeProvider">The clock of leases.</param>
    /// <param name="rollbackCounter">A monotonic counter kept elsewhere, against whole-vault rollback.</param>
    /// <param name="durability">What an acknowledged commit survives: the process being killed (default), or power loss too.</param>
    /// <exception cref="VaultStoreException">The file is not a vault, or the root key does not open it.</exception>
    public static Vault OpenSqlite(string path, VaultRootKey rootKey, VaultRootKey? previousRootKey = null, TimeProvider? timeProvider = null, IVaultRollbackCounter? rollbackCounter = null, SqliteDurability durability = SqliteDurability.ProcessCrash)
    {
        SqliteVaultStore store = SqliteVaultStore.Open(path, durability, timeProvider);
        try
        {
            return Open(store, rootKey, previousRootKey, rollbackCounter, ownsStore: true);
        }
        catch
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Opens (or creates) a vault in <paramref name="store"/>.</summary>
    /// <param name="store">The store (PostgreSQL, SQLite, in memory, or one of your own).</param>
    /// <param name="rootKey">The root key; used while opening, and the caller keeps ownership.</param>
    /// <param name="previousRootKey">The root key before an unfinished rotation.</param>
    /// <param name="rollbackCounter">A monotonic counter kept elsewhere, against whole-vault rollback.</param>
    /// <param name="ownsStore">Whether disposing the vault disposes the store.</param>
    /// <exception cref="VaultStoreException">The store holds no vault header Vaultlib can read, or the root key does not open it.</exception>
    public static Vault Open(IVaultStore store, VaultRootKey rootKey, VaultRootKey? previousRootKey = null, IVaultRollbackCounter? rollbackCounter = null, bool ownsStore = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rootKey);
        VaultHeader header = ReadOrCreateHeader(store, rootKey);
        var vault = new Vault(store, ownsStore, header, rollbackCounter);
        try
        {
            vault.LoadMasters(rootKey, previousRootKey);
            return vault;
        }
        catch
        {
            vault.ReleaseMasters();
            throw;
        }
    }

    /// <summary>
    /// Re-seals every record of the vault under <paramref name="newRootKey"/> while the vault stays in
    /// use, then forgets the old root key. Crash-safe at every step: the header lists both root keys
    /// until every record is re-sealed, so a vault interrupted mid-rotation opens with the new key
    /// and the old one as <c>previousRootKey</c>, and calling this again finishes the rotation.
    /// Other processes sharing the store must reopen with the new key.
    /// </summary>
    /// <returns>How many records were re-sealed.</returns>
    public async Task<int> RotateRootKeyAsync(VaultRootKey newRootKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newRootKey);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        VaultHeader header = await ReadHeaderAsync(Store, cancellationToken).ConfigureAwait(false);
        if (!header.Opens(header.Current, newRootKey))
        {
            if (header.Generations.Count != 1)
            {
                throw new VaultStoreException(VaultStoreFailure.InvalidRootKey, Store.Location, "A root key rotation to another key is unfinished; finish it with that key first.");
            }

            var next = header with { Generations = [header.Current, VaultHeader.NewGeneration(header.VaultId, header.Current.Generation + 1, newRootKey)] };
            StoredRecord stored = (await Store.ReadAsync(VaultHeader.Key, cancellationToken).ConfigureAwait(false))!;
            await Store.CommitAsync([RecordWrite.Put(VaultHeader.Key, stored.Version, next.ToJson())], cancellationToken).ConfigureAwait(false);
            header = next;
        }

        lock (_gate)
        {
            _header = header;
            if (!_masters.ContainsKey(header.Current.Generation))
            {
                _masters[header.Current.Generation] = header.MasterKey(header.Current, newRootKey);
            }
        }

        int resealed = 0;
        foreach (string service in await Store.ListServicesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (service != VaultHeader.Key.Service)
            {
                resealed += await new ServiceRecords(this, service).ResealAsync(header.Current.Generation, cancellationToken).ConfigureAwait(false);
            }
        }

        if (header.Generations.Count > 1)
        {
            var done = header with { Generations = [header.Current] };
            StoredRecord stored = (await Store.ReadAsync(VaultHeader.Key, cancellationToken).ConfigureAwait(false))!;
            await Store.CommitAsync([RecordWrite.Put(VaultHeader.Key, stored.Version, done.ToJson())], cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _header = done;
                foreach (int old in _masters.Keys.Where(g => g != done.Current.Generation).ToArray())
                {
                    _masters.Remove(old, out SecretBuffer? master);
                    master?.Dispose();
                    ReleaseRecordCiphers(old);
                }
            }
        }

        return resealed;
    }

    internal ServiceRecords Records(string service)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return new ServiceRecords(this, service);
    }

    internal (int Generation, SecretBuffer Master) CurrentMaster
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                KeyValuePair<int, SecretBuffer> last = _masters.Last();
                return (last.Key, last.Value);
            }
        }
    }

    /// <summary>
    /// Ready AES-GCM instances for the records of one purpose (<c>records/&lt;service&gt;</c> or
    /// <c>manifest/&lt;service&gt;</c>) sealed under <paramref name="generation"/>'s master key: the key is derived (HKDF)
    /// once, not for every record sealed or opened. Held in unmanaged memory and zeroed with the master (on disposal,
    /// and when a root key rotation retires the generation); null when the vault does not hold the generation.
    /// </summary>
    internal AesGcmPool? RecordCipherOf(int generation, string purpose)
    {
        if (_recordCiphers.TryGetValue((generation, purpose), out RecordCipher? held))
        {
            return held.Pool;
        }

        lock (_gate)
        {
            if (_disposed != 0 || _masters.GetValueOrDefault(generation) is not { } master)
            {
                return null;
            }

            return _recordCiphers.GetOrAdd((generation, purpose), static (key, master) => RecordCipher.Derive(master, key.Purpose), master).Pool;
        }
    }

    private void ReleaseRecordCiphers(int? generation)
    {
        foreach ((int Generation, string Purpose) key in _recordCiphers.Keys)
        {
            if ((generation is null || key.Generation == generation) && _recordCiphers.TryRemove(key, out RecordCipher? cipher))
            {
                cipher.Dispose();
            }
        }
    }

    /// <summary>A derived record key and its ready AES-GCM instances.</summary>
    private sealed class RecordCipher(SecretBuffer key) : IDisposable
    {
        public AesGcmPool Pool { get; } = new(key);

        public static RecordCipher Derive(SecretBuffer master, string purpose)
        {
            Span<byte> derived = stackalloc byte[32];
            try
            {
                using (SecretLease lease = master.Lease())
                {
                    System.Security.Cryptography.HKDF.Expand(System.Security.Cryptography.HashAlgorithmName.SHA256, lease.Span, derived, System.Text.Encoding.UTF8.GetBytes(purpose));
                }

                return new RecordCipher(SecretBuffer.Copy(derived));
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(derived);
            }
        }

        public void Dispose()
        {
            Pool.Dispose();
            key.Dispose();
        }
    }

    internal SecretBuffer? MasterOf(int generation)
    {
        lock (_gate)
        {
            return _masters.GetValueOrDefault(generation);
        }
    }

    internal async ValueTask CheckRollbackAsync(string service, long counter, CancellationToken cancellationToken)
    {
        if (_rollbackCounter is not null && await _rollbackCounter.ReadAsync(VaultId, service, cancellationToken).ConfigureAwait(false) is var expected && expected > counter)
        {
            throw new VaultStoreException(VaultStoreFailure.RolledBack, Store.Location, $"The records of {service} are at commit {counter}, but the rollback counter says {expected}: the vault was rolled back to an earlier copy.");
        }
    }

    internal ValueTask AdvanceRollbackAsync(string service, long counter, CancellationToken cancellationToken) =>
        _rollbackCounter?.AdvanceAsync(VaultId, service, counter, cancellationToken) ?? ValueTask.CompletedTask;

    /// <summary>Zeroes the derived keys and, when the vault opened its store itself, closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseMasters();
            if (_ownsStore)
            {
                await Store.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Identity only.</summary>
    public override string ToString() => $"Vault({Store.Location}, root key generation {_header.Current.Generation})";

    private void LoadMasters(VaultRootKey rootKey, VaultRootKey? previousRootKey)
    {
        foreach (RootKeyGeneration generation in _header.Generations)
        {
            VaultRootKey? key = _header.Opens(generation, rootKey) ? rootKey
                : previousRootKey is not null && _header.Opens(generation, previousRootKey) ? previousRootKey
                : null;
            if (key is not null)
            {
                _masters[generation.Generation] = _header.MasterKey(generation, key);
            }
        }

        if (!_masters.ContainsKey(_header.Current.Generation))
        {
            throw new VaultStoreException(
                VaultStoreFailure.InvalidRootKey,
                Store.Location,
                _header.Generations.Count > 1
                    ? $"The root key does not open the vault in '{Store.Location}': a root key rotation is unfinished; open it with the new root key, and the old one as previousRootKey."
                    : $"The root key does not open the vault in '{Store.Location}': it is the wrong key or passphrase, or the vault header was altered.");
        }
    }

    private void ReleaseMasters()
    {
        lock (_gate)
        {
            foreach (SecretBuffer master in _masters.Values)
            {
                master.Dispose();
            }

            _masters.Clear();
            ReleaseRecordCiphers(null);
        }
    }

    private static VaultHeader ReadOrCreateHeader(IVaultStore store, VaultRootKey rootKey)
    {
        StoredRecord? stored = store.ReadAsync(VaultHeader.Key).AsTask().GetAwaiter().GetResult();
        if (stored is not null)
        {
            return VaultHeader.Read(store.Location, stored.Data.Span);
        }

        var vaultId = Guid.NewGuid();
        var header = new VaultHeader(vaultId, [VaultHeader.NewGeneration(vaultId, 1, rootKey)]);
        try
        {
            store.CommitAsync([RecordWrite.Put(VaultHeader.Key, 0, header.ToJson())]).AsTask().GetAwaiter().GetResult();
            return header;
        }
        catch (RecordConflictException)
        {
            // Another process created the vault first: use its header.
            return ReadHeaderAsync(store, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    private static async ValueTask<VaultHeader> ReadHeaderAsync(IVaultStore store, CancellationToken cancellationToken)
    {
        StoredRecord stored = await store.ReadAsync(VaultHeader.Key, cancellationToken).ConfigureAwait(false)
            ?? throw new VaultStoreException(VaultStoreFailure.InvalidHeader, store.Location, $"The vault header in '{store.Location}' is missing.");
        return VaultHeader.Read(store.Location, stored.Data.Span);
    }
}
