namespace Vaultlib.Keys;

/// <summary>The key table's aliases.</summary>
internal sealed partial class KeyTable
{
    public bool TryGetAlias(string aliasName, out AliasRecord? alias) => _aliases.TryGetValue(aliasName, out alias);

    /// <summary>Creates an alias; an existing name (here or, after a race, in another instance) is <see cref="AlreadyExistsException"/>.</summary>
    public ValueTask CreateAliasAsync(string aliasName, string keyId, CancellationToken cancellationToken) =>
        WriteAsync(
            () => _aliases.ContainsKey(aliasName)
                ? throw KmsErrors.AliasExists(Ids.AliasArn(aliasName))
                : [AliasWrite(new AliasRecord(aliasName, keyId, Now, Now))],
            cancellationToken);

    /// <summary>Points an existing alias at <paramref name="key"/>, which must be of the same spec and usage as its current target.</summary>
    public ValueTask UpdateAliasAsync(string aliasName, KeyRecord key, CancellationToken cancellationToken) =>
        WriteAsync(
            () =>
            {
                if (!_aliases.TryGetValue(aliasName, out AliasRecord? alias))
                {
                    throw KmsErrors.AliasNotFound(Ids.AliasArn(aliasName));
                }

                if (_keys.TryGetValue(alias.TargetKeyId, out KeyRecord? current)
                    && (current.KeySpec != key.KeySpec || current.KeyUsage != key.KeyUsage))
                {
                    throw new ValidationException(
                        "TargetKeyId",
                        $"Alias {aliasName} points to a {current.KeySpec} {current.KeyUsage} key; the new target must be of the same key spec and key usage, not {key.KeySpec} {key.KeyUsage}.");
                }

                return [AliasWrite(alias with { TargetKeyId = key.KeyId, LastUpdatedDate = Now })];
            },
            cancellationToken);

    public ValueTask DeleteAliasAsync(string aliasName, CancellationToken cancellationToken) =>
        WriteAsync(
            () => _aliases.ContainsKey(aliasName) ? [AliasDelete(aliasName)] : throw KmsErrors.AliasNotFound(Ids.AliasArn(aliasName)),
            cancellationToken);
}
