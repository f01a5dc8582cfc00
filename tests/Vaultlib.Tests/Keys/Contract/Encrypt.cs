using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>Encrypt</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task Encrypt_enforces_the_4096_byte_limit()
    {
        KeyMetadata key = await NewKey();
        byte[] max = TestData.RandomBytes(4096);
        Assert.Equal(max, await Decrypt(await Encrypt(key.KeyId, max)));

        var tooBig = await Assert.ThrowsAsync<ValidationException>(() => Encrypt(key.KeyId, new byte[4097]));
        Assert.Equal("Plaintext", tooBig.MemberName);
        Assert.Contains("between 1 and 4096", tooBig.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => Encrypt(key.KeyId, []));
    }

    [SkippableFact]
    public async Task Encrypt_responses_name_the_key_by_ARN_and_blobs_name_their_key()
    {
        KeyMetadata key = await NewKey();
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/named", TargetKeyId = key.KeyId });
        EncryptResponse encrypted = await Kms.EncryptAsync(new EncryptRequest { KeyId = "alias/named", Plaintext = new byte[] { 1, 2 } });
        Assert.Equal(key.Arn, encrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, encrypted.EncryptionAlgorithm);

        DecryptResponse decrypted = await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });
        Assert.Equal(key.Arn, decrypted.KeyId);
        Assert.Equal(new byte[] { 1, 2 }, decrypted.Plaintext.ToArray());
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
    }

    [SkippableFact]
    public async Task Encryption_context_must_match_exactly_but_not_in_order()
    {
        KeyMetadata key = await NewKey();
        var context = TestData.Context(("tenant", "a"), ("purpose", "test"));
        byte[] blob = await Encrypt(key.KeyId, [5], context);

        Assert.Equal([5], await Decrypt(blob, TestData.Context(("purpose", "test"), ("tenant", "a"))));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob, TestData.Context(("tenant", "b"), ("purpose", "test"))));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob, TestData.Context(("tenant", "a"))));
        var wrong = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob, TestData.Context(("tenant", "a"), ("purpose", "test"), ("extra", ""))));
        Assert.Equal("InvalidCiphertextException", wrong.ErrorCode);
    }

    [SkippableFact]
    public async Task Asymmetric_algorithms_on_a_symmetric_key_are_InvalidKeyUsageException()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 }));
        byte[] blob = await Encrypt(key.KeyId, [1]);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 }));
    }

    [SkippableTheory]
    [InlineData(KeySpec.RSA_3072, 342, 318)]
    [InlineData(KeySpec.RSA_4096, 470, 446)]
    public async Task RSA_plaintext_limits_follow_the_key_size(KeySpec spec, int sha1Limit, int sha256Limit)
    {
        KeyMetadata key = await NewKey(spec);
        foreach ((EncryptionAlgorithmSpec algorithm, int limit) in new[] { (EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, sha1Limit), (EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, sha256Limit) })
        {
            EncryptResponse ok = await Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[limit], EncryptionAlgorithm = algorithm });
            Assert.Equal(new byte[limit], (await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = ok.CiphertextBlob, KeyId = key.KeyId, EncryptionAlgorithm = algorithm })).Plaintext.ToArray());
            await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[limit + 1], EncryptionAlgorithm = algorithm }));
        }
    }
}
