// Vaultlib cross-region sample: the notes' pattern for moving encrypted data between regions.
// KMS keys are bound to their region, so a ciphertext made in us-east-1 cannot be decrypted in
// eu-west-1. To copy a snapshot across, decrypt it in the source region and re-encrypt it under a
// key of the destination region, as S3 and EBS replication do.
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib;
using Vaultlib.Keys;

var services = new ServiceCollection();
services.AddVaultlib(options => options.Region = "us-east-1");
await using ServiceProvider provider = services.BuildServiceProvider();
VaultlibHost host = provider.GetRequiredService<VaultlibHost>();
KeyService source = host.GetKeyService("us-east-1");
KeyService destination = host.GetKeyService("eu-west-1");

KeyMetadata sourceKey = (await source.CreateKeyAsync(new CreateKeyRequest { Description = "snapshots, Virginia" })).KeyMetadata;
KeyMetadata destinationKey = (await destination.CreateKeyAsync(new CreateKeyRequest { Description = "snapshots, Ireland" })).KeyMetadata;
Console.WriteLine($"1. Source key      {sourceKey.Arn}");
Console.WriteLine($"   Destination key {destinationKey.Arn}");

var context = new Dictionary<string, string> { ["snapshot"] = "db-2026-11-28" };
EncryptResponse sealedInSource = await source.EncryptAsync(new EncryptRequest
{
    KeyId = sourceKey.KeyId,
    Plaintext = Encoding.UTF8.GetBytes("snapshot: 42 customer records"),
    EncryptionContext = context,
});
Console.WriteLine($"2. Encrypted the snapshot in us-east-1 ({sealedInSource.CiphertextBlob.Length}-byte blob)");

try
{
    await destination.DecryptAsync(new DecryptRequest { CiphertextBlob = sealedInSource.CiphertextBlob, EncryptionContext = context });
}
catch (InvalidCiphertextException ex)
{
    Console.WriteLine($"3. eu-west-1 cannot decrypt it: {ex.ErrorCode}: {ex.Message}");
}

DecryptResponse opened = await source.DecryptAsync(new DecryptRequest { CiphertextBlob = sealedInSource.CiphertextBlob, EncryptionContext = context });
EncryptResponse sealedInDestination = await destination.EncryptAsync(new EncryptRequest { KeyId = destinationKey.KeyId, Plaintext = opened.Plaintext, EncryptionContext = context });
Console.WriteLine($"4. Decrypted in us-east-1, re-encrypted in eu-west-1 under {sealedInDestination.KeyId}");

DecryptResponse copy = await destination.DecryptAsync(new DecryptRequest { CiphertextBlob = sealedInDestination.CiphertextBlob, EncryptionContext = context });
string text = Encoding.UTF8.GetString(copy.Plaintext.Span);
Console.WriteLine($"5. eu-west-1 reads its copy: \"{text}\"");
if (text != "snapshot: 42 customer records")
{
    throw new InvalidOperationException("The cross-region copy does not match the source.");
}
