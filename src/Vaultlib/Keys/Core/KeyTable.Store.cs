using System.Buffers;
using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>The key table's persistence: commits through the vault, the in-memory view, and the change feed that keeps it coherent across processes.</summary>
internal sealed partial class KeyTable
{
    /// <summary>One record a change writes, and what publishing it does to the in-memory view once committed.</summary>
    private readonly record struct Change(string Collection, string Id, byte[]? Plaintext, Action Publish, bool SecretPlaintext = false);

    private Change KeyWrite(KeyRecord record)
    {
        // Sized up front so the writer never grows: a grown-out-of buffer would hold material we could not zero.
        int estimate = 4096
            + record.Materials.Sum(m => 256 + (2 * (m.Secret.Length + (m.PublicKey?.Length ?? 0))))
            + record.ImportParameters.Sum(p => 256 + (2 * (p.PrivateKey.Length + p.ImportToken.Length)))
            + (6 * (record.Policy.Length + record.Description.Length + record.Tags.Sum(t => t.Key.Length + t.Value.Length + 8)));
        var buffer = new ArrayBufferWriter<byte>(estimate);
        KeyRecordCodec.Write(record, buffer);
        byte[] plaintext = buffer.WrittenSpan.ToArray();
        CryptographicOperations.ZeroMemory(MemoryMarshalHelpers.AsWritable(buffer));
        return new Change(KeysCollection, record.KeyId, plaintext, () =>
        {
            _keys[record.KeyId] = record;
            QueueFollowUps(record, purged: false);
        }, SecretPlaintext: true);
    }

    private Change KeyDelete(KeyRecord key) => new(KeysCollection, key.KeyId, null, () =>
    {
        _keys.TryRemove(key.KeyId, out _);
        QueueFollowUps(key, purged: true);

        // SafeHandle reference counting defers the zeroing until in-flight operations end.
        key.ReleaseSecrets();
    });

    private Change AliasWrite(AliasRecord alias) =>
        new(AliasesCollection, alias.AliasName, KeyRecordCodec.WriteAlias(alias), () => _aliases[alias.AliasName] = alias);

    private Change AliasDelete(string aliasName) =>
        new(AliasesCollection, aliasName, null, () => _aliases.TryRemove(aliasName, out AliasRecord? _));

    private Change GrantWrite(GrantRecord grant) =>
        new(GrantsCollection, grant.GrantId, grant.ToJson(), () => _grants[grant.GrantId] = grant, SecretPlaintext: true);

    private Change GrantDelete(string grantId) =>
        new(GrantsCollection, grantId, null, () => _grants.TryRemove(grantId, out GrantRecord? _));

    /// <summary>Builds the changes under the write gate and commits them, re-building after a race with another instance.</summary>
    private async ValueTask WriteAsync(Func<List<Change>> build, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WithRetriesAsync(
                async () =>
                {
                    await CommitLockedAsync(build(), cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }

        await RunFollowUpsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="attempt"/>; when another instance committed first, catches up with the feed and runs it again.</summary>
    private async ValueTask<T> WithRetriesAsync<T>(Func<ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        for (int tries = 1; ; tries++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (RecordConflictException) when (tries < MaxConflictRetries)
            {
                await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Commits the changes atomically at the versions this view holds, then publishes them. Callers hold the write gate.</summary>
    private async ValueTask CommitLockedAsync(List<Change> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        // A delete carries no plaintext at all. (A bare null here would become an empty ReadOnlyMemory
        // through the implicit conversion from byte[], and write an empty record instead of deleting.)
        PlainWrite[] writes = [.. changes.Select(c => new PlainWrite(c.Collection, c.Id, _versions.GetValueOrDefault((c.Collection, c.Id)), c.Plaintext is null ? (ReadOnlyMemory<byte>?)null : c.Plaintext))];
        CommitResult result;
        try
        {
            result = await _records.CommitAsync(writes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (Change change in changes.Where(c => c.SecretPlaintext && c.Plaintext is not null))
            {
                CryptographicOperations.ZeroMemory(change.Plaintext);
            }
        }

        // When no other commit came between this view's position and this one, the view is current:
        // move it on, so that the feed follower does not wake for this instance's own commit.
        if (result.Position == Volatile.Read(ref _position) + 1)
        {
            Volatile.Write(ref _position, result.Position);
        }

        for (int i = 0; i < changes.Count; i++)
        {
            if (changes[i].Plaintext is null)
            {
                _versions.TryRemove((changes[i].Collection, changes[i].Id), out _);
            }
            else
            {
                _versions[(changes[i].Collection, changes[i].Id)] = result.Versions[i];
            }

            changes[i].Publish();
        }

        if (changes.Any(c => c.Collection == KeysCollection))
        {
            DueTimeChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Decodes one loaded record into the view (the store hands it over sealed, opened just for this call).</summary>
    private void Apply(RecordKey key, long version, ReadOnlyMemory<byte> plaintext)
    {
        string location = key.ToString();
        switch (key.Collection)
        {
            case KeysCollection:
                KeyRecord record = KeyRecordCodec.ReadKey(location, plaintext);
                if (record.KeyId != key.Id)
                {
                    throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' holds key {record.KeyId}.");
                }

                if (_keys.TryGetValue(record.KeyId, out KeyRecord? previous))
                {
                    previous.ReleaseSecrets();
                }

                _keys[record.KeyId] = record;
                break;
            case AliasesCollection:
                AliasRecord alias = KeyRecordCodec.ReadAlias(location, plaintext);
                if (alias.AliasName != key.Id)
                {
                    throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' holds alias {alias.AliasName}.");
                }

                _aliases[alias.AliasName] = alias;
                break;
            case GrantsCollection:
                GrantRecord grant = GrantRecord.FromJson(location, plaintext);
                if (grant.GrantId != key.Id)
                {
                    throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' holds grant {grant.GrantId}.");
                }

                _grants[grant.GrantId] = grant;
                break;
            default:
                throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is of no collection KMS keeps.");
        }

        _versions[(key.Collection, key.Id)] = version;
    }

    /// <summary>Follows the change feed: other instances' commits reach this view within the store's delay.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _vault.Store.WaitForChangesAsync(ServiceName, Volatile.Read(ref _position), cancellationToken).ConfigureAwait(false);
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await CatchUpLockedAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _writeGate.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is VaultlibException or IOException or InvalidOperationException or System.Data.Common.DbException)
            {
                Log.ChangeFeedFailed(_logger, ServiceName, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Applies every change committed after this view's position. Callers hold the write gate.</summary>
    private async ValueTask CatchUpLockedAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RecordChange> changes = await _vault.Store.ReadChangesAsync(ServiceName, Volatile.Read(ref _position), cancellationToken).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            return;
        }

        var latest = new Dictionary<(string, string), RecordChange>();
        foreach (RecordChange change in changes.Where(c => c.Key.Collection != ServiceRecords.ManifestCollection))
        {
            latest[(change.Key.Collection, change.Key.Id)] = change;
        }

        foreach (((string collection, string id), RecordChange change) in latest)
        {
            bool known = _versions.TryGetValue((collection, id), out long version);
            if (!change.Deleted && known && change.Version <= version)
            {
                continue; // this view has it already (our own commit, or a newer read)
            }

            if (change.Deleted && !known)
            {
                continue;
            }

            bool present = !change.Deleted && await _records.ReadAsync(collection, id, Apply, cancellationToken).ConfigureAwait(false);
            if (!present)
            {
                RemoveFromView(collection, id);
            }
        }

        Volatile.Write(ref _position, changes[^1].Position);
        DueTimeChanged?.Invoke(this, EventArgs.Empty);
    }

    private void RemoveFromView(string collection, string id)
    {
        _versions.TryRemove((collection, id), out _);
        switch (collection)
        {
            case KeysCollection when _keys.TryRemove(id, out KeyRecord? key):
                key.ReleaseSecrets();
                break;
            case AliasesCollection:
                _aliases.TryRemove(id, out _);
                break;
            case GrantsCollection:
                _grants.TryRemove(id, out _);
                break;
        }
    }
}
