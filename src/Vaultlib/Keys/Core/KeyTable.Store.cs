using System.Buffers;
using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>The key table's records: how keys, aliases and grants are written to the vault and read back into the view (the commits and the change feed are <see cref="RecordTable"/>'s).</summary>
internal sealed partial class KeyTable
{
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
            SetKey(record);
            QueueFollowUps(record, purged: false);
        }, SecretPlaintext: true);
    }

    /// <summary>Puts a key in the view (replacing its previous record, which is returned), keeping the quota's count.</summary>
    private KeyRecord? SetKey(KeyRecord record)
    {
        KeyRecord? previous = null;
        _keys.AddOrUpdate(record.KeyId, record, (_, old) =>
        {
            previous = old;
            return record;
        });
        Count(previous, record);
        return previous;
    }

    /// <summary>Takes a key out of the view, keeping the quota's count.</summary>
    private KeyRecord? DropKey(string keyId)
    {
        if (!_keys.TryRemove(keyId, out KeyRecord? removed))
        {
            return null;
        }

        Count(removed, null);
        return removed;
    }

    private void Count(KeyRecord? before, KeyRecord? after) =>
        Interlocked.Add(ref _customerManagedKeys, (after?.KeyManager == KeyManagerType.CUSTOMER ? 1 : 0) - (before?.KeyManager == KeyManagerType.CUSTOMER ? 1 : 0));

    private Change KeyDelete(KeyRecord key) => new(KeysCollection, key.KeyId, null, () =>
    {
        DropKey(key.KeyId);
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

    /// <summary>Due times may have moved: after this instance's commits of keys, and after catching up with others'.</summary>
    protected override void OnChanged(IReadOnlyList<Change>? committed)
    {
        if (committed is null || committed.Any(c => c.Collection == KeysCollection))
        {
            DueTimeChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Decodes one loaded record into the view (the store hands it over sealed, opened just for this call).</summary>
    protected override void ApplyRecord(RecordKey key, string location, ReadOnlyMemory<byte> plaintext)
    {
        switch (key.Collection)
        {
            case KeysCollection:
                KeyRecord record = KeyRecordCodec.ReadKey(location, plaintext);
                if (record.KeyId != key.Id)
                {
                    throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' holds key {record.KeyId}.");
                }

                SetKey(record)?.ReleaseSecrets();
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
    }

    /// <summary>Drops a record another instance deleted from the view, zeroing a key's material.</summary>
    protected override void RemoveRecord(string collection, string id)
    {
        switch (collection)
        {
            case KeysCollection when DropKey(id) is { } key:
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
