using System.Security.Cryptography;

namespace Vaultlib.Keys;

/// <summary>The key table's grants: added idempotently, found by token in constant time, removed.</summary>
internal sealed partial class KeyTable
{
    /// <summary>Adds the grant <paramref name="make"/> builds, unless <paramref name="existing"/> finds one (CreateGrant is idempotent by name).</summary>
    public GrantRecord AddGrant(Func<IEnumerable<GrantRecord>, GrantRecord?> existing, Func<GrantRecord> make)
    {
        lock (_writeGate)
        {
            if (existing(_grants.Values) is { } same)
            {
                return same;
            }

            GrantRecord grant = make();
            _store.Put(GrantsCollection, grant.GrantId, grant.ToJson());
            _grants[grant.GrantId] = grant;
            return grant;
        }
    }

    public GrantRecord? FindGrantById(string grantId) => _grants.GetValueOrDefault(grantId);

    /// <summary>The grant a RetireGrant names, by token or by key and grant id, with the key it is on.</summary>
    public GrantResource FindGrant(string? token, string? keyId, string? grantId)
    {
        GrantRecord? grant;
        if (token is not null)
        {
            byte[] presented = System.Text.Encoding.ASCII.GetBytes(token);
            grant = _grants.Values.FirstOrDefault(g => CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(g.GrantToken), presented))
                ?? throw new InvalidGrantTokenException();
        }
        else
        {
            KeyRecord key = Resolve(keyId!);
            grant = _grants.GetValueOrDefault(grantId!) is { } g && g.KeyId == key.KeyId ? g : throw KmsErrors.NotAGrantOf(grantId!, key.Arn);
        }

        KeyRecord owner = FindKey(grant.KeyId) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(grant.KeyId));
        return new GrantResource(grant, owner);
    }

    public void RemoveGrant(string grantId)
    {
        lock (_writeGate)
        {
            _store.Delete(GrantsCollection, grantId);
            _grants.TryRemove(grantId, out GrantRecord? _);
        }
    }
}
