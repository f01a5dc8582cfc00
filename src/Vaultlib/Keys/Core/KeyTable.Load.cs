using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>Loading the key table from its store.</summary>
internal sealed partial class KeyTable
{
    private void Load()
    {
        _store.Load(KeysCollection, (id, json) =>
        {
            KeyRecord record = KeyRecordCodec.ReadKey($"{KeysCollection}/{id}", json);
            if (record.KeyId != id)
            {
                throw new VaultStoreException(VaultStoreFailure.Tampered, $"{KeysCollection}/{id}", $"The record '{KeysCollection}/{id}' holds key {record.KeyId}.");
            }

            _keys[record.KeyId] = record;
        });
        _store.Load(AliasesCollection, (id, json) =>
        {
            AliasRecord alias = KeyRecordCodec.ReadAlias($"{AliasesCollection}/{id}", json);
            if (alias.AliasName != id)
            {
                throw new VaultStoreException(VaultStoreFailure.Tampered, $"{AliasesCollection}/{id}", $"The record '{AliasesCollection}/{id}' holds alias {alias.AliasName}.");
            }

            _aliases[alias.AliasName] = alias;
        });

        _store.Load(GrantsCollection, (id, json) =>
        {
            GrantRecord grant = GrantRecord.FromJson($"{GrantsCollection}/{id}", json);
            _grants[grant.GrantId] = grant;
        });

        foreach (GrantRecord dangling in _grants.Values.Where(g => !_keys.ContainsKey(g.KeyId)).ToArray())
        {
            _store.Delete(GrantsCollection, dangling.GrantId);
            _grants.TryRemove(dangling.GrantId, out GrantRecord? _);
        }

        // A crash between purging a key and deleting its aliases leaves aliases to nothing: finish the purge.
        foreach (AliasRecord dangling in _aliases.Values.Where(a => !_keys.ContainsKey(a.TargetKeyId)).ToArray())
        {
            _store.Delete(AliasesCollection, dangling.AliasName);
            _aliases.TryRemove(dangling.AliasName, out _);
        }
    }
}
