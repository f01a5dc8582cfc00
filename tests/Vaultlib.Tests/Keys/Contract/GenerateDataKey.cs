using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>GenerateDataKey</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task GenerateDataKey_returns_a_key_and_its_encrypted_copy()
    {
        KeyMetadata key = await NewKey();
        var context = TestData.Context(("file", "report.pdf"));
        foreach ((GenerateDataKeyRequest request, int length) in new[]
        {
            (new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = context }, 32),
            (new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_128, EncryptionContext = context }, 16),
            (new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 1, EncryptionContext = context }, 1),
            (new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 1024, EncryptionContext = context }, 1024),
        })
        {
            GenerateDataKeyResponse dataKey = await Kms.GenerateDataKeyAsync(request);
            Assert.Equal(length, dataKey.Plaintext.Length);
            Assert.Equal(key.Arn, dataKey.KeyId);
            Assert.Equal(dataKey.Plaintext.ToArray(), await Decrypt(dataKey.CiphertextBlob.ToArray(), context));
        }

        GenerateDataKeyWithoutPlaintextResponse sealedOnly = await Kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        Assert.Equal(key.Arn, sealedOnly.KeyId);
        Assert.Equal(32, (await Decrypt(sealedOnly.CiphertextBlob.ToArray())).Length);
    }

    [SkippableFact]
    public async Task GenerateDataKey_needs_exactly_one_of_KeySpec_and_NumberOfBytes()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, NumberOfBytes = 32 }));
        var range = await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 1025 }));
        Assert.Equal("NumberOfBytes", range.MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, NumberOfBytes = 0 }));
    }
}
