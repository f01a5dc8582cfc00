// Vaultlib quickstart: the KMS scenario from the notes, against the same API as AWS KMS.
//   1. create a key            2. encrypt and decrypt a short secret
//   3. 5,000 bytes are refused (the 4 KB limit); GenerateDataKey is the way for more
//   4. rotate the key and decrypt the old ciphertext
//   5. disable the key and see the error
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib;
using Vaultlib.Keys;

var services = new ServiceCollection();
services.AddVaultlib(options => options.Region = "us-east-1");
await using ServiceProvider provider = services.BuildServiceProvider();
IKeyService kms = provider.GetRequiredService<IKeyService>();

// 1. Create a symmetric key (AES-256-GCM) and give it an alias.
CreateKeyResponse created = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "quickstart key" });
string keyId = created.KeyMetadata.KeyId;
await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/quickstart", TargetKeyId = keyId });
Console.WriteLine($"1. Created key {created.KeyMetadata.Arn} ({created.KeyMetadata.KeySpec}, {created.KeyMetadata.KeyState}) as alias/quickstart");

// 2. Encrypt a short secret under the alias; Decrypt needs no KeyId, the blob names its key.
var context = new Dictionary<string, string> { ["app"] = "quickstart" };
EncryptResponse encrypted = await kms.EncryptAsync(new EncryptRequest
{
    KeyId = "alias/quickstart",
    Plaintext = Encoding.UTF8.GetBytes("db-password: hunter2"),
    EncryptionContext = context,
});
DecryptResponse decrypted = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context });
Console.WriteLine($"2. Encrypted 20 bytes into a {encrypted.CiphertextBlob.Length}-byte blob; decrypted back to \"{Encoding.UTF8.GetString(decrypted.Plaintext.Span)}\"");

// 3. KMS encrypts at most 4096 bytes per call.
try
{
    await kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[5000] });
}
catch (ValidationException ex)
{
    Console.WriteLine($"3. 5,000 bytes refused: KMS encrypts at most {KeyService.MaxPlaintextLength:N0} bytes per call.");
    Console.WriteLine($"   {ex.ErrorCode} on {ex.MemberName}: {ex.Message}");
}

//    For more, encrypt locally with a data key and keep the encrypted data key beside the data.
byte[] document = RandomNumberGenerator.GetBytes(5000);
GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = DataKeySpec.AES_256 });
byte[] nonce = RandomNumberGenerator.GetBytes(12), tag = new byte[16], sealedDocument = new byte[document.Length];
using (var aes = new AesGcm(dataKey.Plaintext.Span, 16))
{
    aes.Encrypt(nonce, document, sealedDocument, tag);
}

CryptographicOperations.ZeroMemory(MemoryMarshalArray(dataKey.Plaintext)); // done with the plaintext data key
DecryptResponse unwrapped = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob });
byte[] opened = new byte[sealedDocument.Length];
using (var aes = new AesGcm(unwrapped.Plaintext.Span, 16))
{
    aes.Decrypt(nonce, sealedDocument, tag, opened);
}

Console.WriteLine($"   GenerateDataKey: 5,000 bytes sealed with a data key; encrypted data key is {dataKey.CiphertextBlob.Length} bytes; round trip {(opened.AsSpan().SequenceEqual(document) ? "ok" : "FAILED")}");

// 4. Rotate: new encryptions use new material, old ciphertexts still decrypt.
await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId });
await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });
GetKeyRotationStatusResponse status = await kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId });
DecryptResponse afterRotation = await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context });
ListKeyRotationsResponse rotations = await kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId });
Console.WriteLine($"4. Rotated ({rotations.Rotations.Count} rotation, {rotations.Rotations[0].RotationType}); automatic rotation every {status.RotationPeriodInDays} days, next {status.NextRotationDate:yyyy-MM-dd}; old ciphertext still decrypts: \"{Encoding.UTF8.GetString(afterRotation.Plaintext.Span)}\"");

// 5. Disable the key: every cryptographic operation now fails with DisabledException.
await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });
try
{
    await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context });
}
catch (DisabledException ex)
{
    Console.WriteLine($"5. Disabled the key; Decrypt now fails: {ex.ErrorCode}: {ex.Message}");
}

static byte[] MemoryMarshalArray(ReadOnlyMemory<byte> memory) =>
    System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment) ? segment.Array! : [];
