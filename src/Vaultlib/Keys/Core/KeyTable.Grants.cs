using System.Security.Cryptography;

namespace Vaultlib.Keys;

/// <summary>The key table's grants: added idempotently, found by token in constant time, removed.</summary>
internal sealed partial class KeyTable
{
    /// <summary>Adds the grant <paramref name="make"/> builds, unless <paramref name="existing"/> finds one (CreateGrant is idempotent by name).</summary>
    public ValueTask<GrantRecord> AddGrantAsync(Func<IEnumerable<GrantRecord>, GrantRecord?> existing, Func<GrantRecord> make, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                if (existing(_grants.Values) is { } same)
                {
                    return same;
                }

                GrantRecord grant = make();
                await CommitLockedAsync([GrantWrite(grant)], cancellationToken).ConfigureAwait(false);
                return grant;
            },
            cancellationToken);

    public GrantRecord? FindGrantById(string grantId) => _grants.GetValueOrDefault(grantId);

    /// <summary>The grant a RetireGrant names, by token or by key and grant id, with the key it is on.</summary>
    public async ValueTask<GrantResource> FindGrantAsync(string? token, string? keyId, string? grantId, CancellationToken cancellationToken)
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
            KeyRecord key = await ResolveAsync(keyId!, cancellationToken, KeyIdForms.KeyIdOrArn).ConfigureAwait(false);
            grant = _grants.GetValueOrDefault(grantId!) is { } g && g.KeyId == key.KeyId ? g : throw KmsErrors.NotAGrantOf(grantId!, key.Arn);
        }

        KeyRecord owner = await FindKeyAsync(grant.KeyId, cancellationToken).ConfigureAwait(false) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(grant.KeyId));
        return new GrantResource(grant, owner);
    }

    /// <summary>Removes a grant; one another instance removed already is gone, which is what was asked.</summary>
    public ValueTask RemoveGrantAsync(string grantId, CancellationToken cancellationToken) =>
        WriteAsync(() => _grants.ContainsKey(grantId) ? [GrantDelete(grantId)] : [], cancellationToken);
}
