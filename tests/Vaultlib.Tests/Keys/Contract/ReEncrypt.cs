using System.Text;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>ReEncrypt</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task ReEncrypt_moves_a_ciphertext_to_another_key_and_context()
    {
        KeyMetadata source = await NewKey();
        KeyMetadata destination = await NewKey();
        byte[] secret = Encoding.UTF8.GetBytes("database password");
        byte[] blob = await Encrypt(source.KeyId, secret, TestData.Context(("v", "1")));

        ReEncryptResponse moved = await Kms.ReEncryptAsync(new ReEncryptRequest
        {
            CiphertextBlob = blob,
            SourceEncryptionContext = TestData.Context(("v", "1")),
            DestinationKeyId = destination.KeyId,
            DestinationEncryptionContext = TestData.Context(("v", "2")),
        });

        Assert.Equal(source.Arn, moved.SourceKeyId);
        Assert.Equal(destination.Arn, moved.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, moved.SourceEncryptionAlgorithm);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, moved.DestinationEncryptionAlgorithm);
        Assert.Equal(secret, await Decrypt(moved.CiphertextBlob.ToArray(), TestData.Context(("v", "2")), destination.KeyId));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId }));
    }
}
