// Envelope encryption of a file larger than KMS's 4 KB limit, in the AWS Encryption SDK format:
// a KMS keyring wraps a fresh data key per message, the file is encrypted frame by frame, and the
// encrypted data key travels in the message header beside the data.
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Envelope;
using Vaultlib.Keys;

var services = new ServiceCollection();
services.AddVaultlib()
    .AddEnvelopeEncryption()
    .AddKmsKeyring("alias/sample-files")
    .AddCachingMaterialsManager(new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(5), MaxMessagesEncrypted = 100 });
await using ServiceProvider provider = services.BuildServiceProvider();

IKeyService kms = provider.GetRequiredService<IKeyService>();
KeyMetadata key = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "sample file key" })).KeyMetadata;
await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/sample-files", TargetKeyId = key.KeyId });

string directory = Path.Combine(Path.GetTempPath(), "vaultlib-sample-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(directory);
string original = Path.Combine(directory, "report.bin"), sealedFile = original + ".encrypted", opened = original + ".decrypted";
await File.WriteAllBytesAsync(original, RandomNumberGenerator.GetBytes(200_000));
Console.WriteLine($"Plaintext file: {new FileInfo(original).Length:N0} bytes (KMS Encrypt takes at most 4,096)");

EnvelopeEncryptor encryptor = provider.GetRequiredService<EnvelopeEncryptor>();
ICryptoMaterialsManager materials = provider.GetRequiredService<ICryptoMaterialsManager>();
var context = new Dictionary<string, string> { ["file"] = "report.bin", ["department"] = "finance" };

EncryptStreamOutput sealedResult;
await using (FileStream input = File.OpenRead(original))
await using (FileStream output = File.Create(sealedFile))
{
    sealedResult = await encryptor.EncryptStreamAsync(input, output, new EncryptStreamInput
    {
        MaterialsManager = materials,
        EncryptionContext = context,
        FrameLength = 64 * 1024,
    });
}

Console.WriteLine($"Encrypted with {sealedResult.AlgorithmSuiteId} into {new FileInfo(sealedFile).Length:N0} bytes ({Path.GetFileName(sealedFile)}): header with the KMS-encrypted data key, 4 frames, signature");

await using (FileStream input = File.OpenRead(sealedFile))
await using (FileStream output = File.Create(opened))
{
    DecryptStreamOutput result = await encryptor.DecryptStreamAsync(input, output, new DecryptStreamInput { MaterialsManager = materials, EncryptionContext = context });
    Console.WriteLine($"Decrypted {result.PlaintextLength:N0} bytes; context file={result.EncryptionContext["file"]}");
}

byte[] originalBytes = await File.ReadAllBytesAsync(original), openedBytes = await File.ReadAllBytesAsync(opened);
bool same = originalBytes.AsSpan().SequenceEqual(openedBytes);
Console.WriteLine($"Round trip: {(same ? "identical" : "DIFFERENT")}");

// Tampering with one byte is detected.
byte[] tampered = await File.ReadAllBytesAsync(sealedFile);
tampered[tampered.Length / 2] ^= 1;
try
{
    await encryptor.DecryptAsync(new DecryptInput { Ciphertext = tampered, MaterialsManager = materials });
}
catch (BadCiphertextException ex)
{
    Console.WriteLine($"Tampered copy refused: {ex.ErrorCode}: {ex.Message}");
}

Directory.Delete(directory, recursive: true);
return same ? 0 : 1;
