using System.Text;
using Microsoft.Extensions.Logging;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>
/// Known secrets go through every operation, succeeding and failing; none of their bytes may
/// appear in a ToString, an exception message or a log line, in any common encoding.
/// </summary>
public sealed class SecretLeakTests
{
    [Fact]
    public async Task No_secret_appears_in_ToString_exceptions_or_logs()
    {
        var logs = new CapturingLoggerProvider();
        var clock = TestData.NewClock();
        using var kms = new InMemoryKeyService(timeProvider: clock, loggerFactory: logs);
        var needles = new SecretNeedles();
        var texts = new List<string>();
        byte[] plaintext = Encoding.UTF8.GetBytes("s3cr3t-payload: the launch codes are 0000");
        needles.Add("plaintext", plaintext);
        var context = TestData.Context(("purpose", "leak-test"));

        async Task Capture(Func<Task<object>> call)
        {
            try
            {
                object response = await call();
                texts.Add(response.ToString()!);
            }
            catch (VaultlibException ex)
            {
                texts.Add(ex.ToString());
                texts.Add(ex.Message);
            }
        }

        KeyMetadata key = await kms.CreateKeyAsync("leak");
        texts.Add(key.ToString());
        var encryptRequest = new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext, EncryptionContext = context };
        texts.Add(encryptRequest.ToString());
        EncryptResponse encrypted = await kms.EncryptAsync(encryptRequest);
        texts.Add(encrypted.ToString());
        var decryptRequest = new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context };
        texts.Add(decryptRequest.ToString());
        DecryptResponse decrypted = await kms.DecryptAsync(decryptRequest);
        texts.Add(decrypted.ToString());
        GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        needles.Add("data key", dataKey.Plaintext.Span);
        texts.Add(dataKey.ToString());
        GenerateDataKeyPairResponse pair = await kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = key.KeyId, KeyPairSpec = DataKeyPairSpec.ECC_NIST_P256 });
        needles.Add("data key pair private key", pair.PrivateKeyPlaintext.Span);
        texts.Add(pair.ToString());
        KeyMetadata hmacKey = (await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 })).KeyMetadata;
        needles.Add("HMAC key", kms.DangerousExportAllMaterialForTests(hmacKey.KeyId).Single());
        GenerateMacResponse mac = await kms.GenerateMacAsync(new GenerateMacRequest { KeyId = hmacKey.KeyId, Message = plaintext, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 });
        texts.Add(mac.ToString());
        await Capture(async () => await kms.VerifyMacAsync(new VerifyMacRequest { KeyId = hmacKey.KeyId, Message = plaintext, Mac = new byte[32], MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_256 }));
        GenerateRandomResponse random = await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 64 });
        needles.Add("random", random.Plaintext.Span);
        texts.Add(random.ToString());

        // Failures carrying the secrets: wrong context, tampered blob, too long, disabled, pending deletion.
        await Capture(async () => await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob }));
        byte[] tampered = encrypted.CiphertextBlob.ToArray();
        tampered[^1] ^= 1;
        await Capture(async () => await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = tampered, EncryptionContext = context }));
        await Capture(async () => await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext.Concat(new byte[5000]).ToArray() }));
        await Capture(async () => await kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = encrypted.CiphertextBlob, DestinationKeyId = "alias/missing" }));
        await Capture(async () => await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = dataKey.CiphertextBlob, KeyId = Guid.NewGuid().ToString("D") }));
        await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await Capture(async () => await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext }));
        await kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId });
        await Capture(async () => await kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = context }));

        foreach (byte[] material in kms.DangerousExportAllMaterialForTests(key.KeyId))
        {
            needles.Add("key material", material);
        }

        texts.Add(kms.ToString());
        clock.Advance(TimeSpan.FromDays(31));
        await Capture(async () => await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));

        using var rootKey = VaultRootKey.FromBytes(Encoding.ASCII.GetBytes("root-key-bytes-that-must-not-leak"[..32]));
        needles.Add("root key", Encoding.ASCII.GetBytes("root-key-bytes-that-must-not-leak"[..32]));
        texts.Add(rootKey.ToString());

        Assert.True(texts.Count > 15);
        Assert.NotEmpty(logs.Lines);
        Assert.Contains(logs.Lines, l => l.Contains("InvalidCiphertextException", StringComparison.Ordinal));
        foreach (string text in texts.Concat(logs.Lines))
        {
            IReadOnlyList<string> found = needles.FoundIn(text);
            Assert.True(found.Count == 0, $"leaked {string.Join(", ", found)} in: {text}");
        }
    }

    [Fact]
    public void The_needle_search_finds_what_it_is_looking_for()
    {
        var needles = new SecretNeedles();
        byte[] secret = Encoding.ASCII.GetBytes("abcdefghijklmnop");
        needles.Add("s", secret);
        Assert.NotEmpty(needles.FoundIn($"xx {Convert.ToBase64String(secret)} yy"));
        Assert.NotEmpty(needles.FoundIn($"xx {Convert.ToHexString(secret)} yy"));
        Assert.NotEmpty(needles.FoundIn("prefix abcdefghijkl"));
        Assert.Empty(needles.FoundIn("nothing here"));
    }
}
