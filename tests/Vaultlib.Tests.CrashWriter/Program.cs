// Writes to a SQLite vault as fast as it can and prints "ACK <keyId> <tag>" after each write
// returns, so a test can kill it at an arbitrary instant and check that every acknowledged write
// survived. Arguments: <vault file> <root key, base64>.
using Vaultlib.Keys;
using Vaultlib.Storage;

using var rootKey = VaultRootKey.FromBytes(Convert.FromBase64String(args[1]));
using Vault vault = Vault.OpenSqlite(args[0], rootKey);
using var kms = new VaultKeyService(vault);
Console.Out.Flush();
Console.WriteLine("READY");
for (int i = 0; ; i++)
{
    KeyMetadata key = await kms.CreateKeyAsync($"crash-{i}");
    Console.WriteLine($"ACK {key.KeyId} none");
    await kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "n", TagValue = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }] });
    Console.WriteLine($"ACK {key.KeyId} {i}");
    await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = $"alias/crash-{key.KeyId}", TargetKeyId = key.KeyId });
    Console.WriteLine($"ALIAS alias/crash-{key.KeyId} {key.KeyId}");
}
