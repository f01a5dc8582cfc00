using System.Security.Cryptography;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>Decrypt</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task Decrypt_with_another_KeyId_is_IncorrectKeyException()
    {
        KeyMetadata a = await NewKey();
        KeyMetadata b = await NewKey();
        byte[] blob = await Encrypt(a.KeyId, [1]);

        await Assert.ThrowsAsync<IncorrectKeyException>(() => Decrypt(blob, keyId: b.KeyId));
        await Assert.ThrowsAsync<IncorrectKeyException>(() => Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, SourceKeyId = b.Arn, DestinationKeyId = b.KeyId }));
        await Assert.ThrowsAsync<NotFoundException>(() => Decrypt(blob, keyId: Guid.NewGuid().ToString("D")));
        Assert.Equal([1], await Decrypt(blob, keyId: a.Arn));
    }

    [SkippableFact]
    public async Task Malformed_blobs_of_any_shape_are_InvalidCiphertextException()
    {
        KeyMetadata key = await NewKey();
        byte[] good = await Encrypt(key.KeyId, [1, 2, 3]);
        var candidates = new List<byte[]>
        {
            new byte[] { 0 },
            new byte[] { 1 },
            new byte[] { 1, 36 },
            good[..^1],
            good[..40],
            good.Append((byte)0).ToArray(),
            new byte[6144],
            Enumerable.Repeat((byte)0xff, 100).ToArray(),
        };
        byte[] badVersion = (byte[])good.Clone();
        badVersion[0] = 2;
        candidates.Add(badVersion);
        byte[] hugeKeyIdLength = (byte[])good.Clone();
        hugeKeyIdLength[1] = 255;
        candidates.Add(hugeKeyIdLength);
        byte[] zeroMaterial = (byte[])good.Clone();
        zeroMaterial[2 + 36 + 3] = 0;
        candidates.Add(zeroMaterial);
        byte[] futureMaterial = (byte[])good.Clone();
        futureMaterial[2 + 36 + 3] = 9;
        candidates.Add(futureMaterial);

        foreach (byte[] candidate in candidates)
        {
            var ex = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(candidate));
            Assert.Equal(InvalidCiphertextException.StandardMessage, ex.Message);
        }

        await Assert.ThrowsAsync<ValidationException>(() => Decrypt([]));
        await Assert.ThrowsAsync<ValidationException>(() => Decrypt(new byte[6145]));
    }

    [SkippableTheory]
    [InlineData(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, 214)]
    [InlineData(EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256, 190)]
    public async Task RSA_ciphertexts_made_outside_with_the_public_key_decrypt_inside(EncryptionAlgorithmSpec algorithm, int limit)
    {
        KeyMetadata key = await NewKey(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(await PublicKey(key.KeyId), out _);
        byte[] plaintext = RandomNumberGenerator.GetBytes(limit);
        byte[] outside = rsa.Encrypt(plaintext, algorithm == EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256);

        DecryptResponse decrypted = await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = outside, KeyId = key.Arn, EncryptionAlgorithm = algorithm });
        Assert.Equal(plaintext, decrypted.Plaintext.ToArray());
        Assert.Equal(algorithm, decrypted.EncryptionAlgorithm);

        EncryptResponse inside = await Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext, EncryptionAlgorithm = algorithm });
        Assert.Equal(256, inside.CiphertextBlob.Length);
        Assert.Equal(algorithm, inside.EncryptionAlgorithm);
        Assert.Equal(plaintext, (await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = inside.CiphertextBlob, KeyId = key.KeyId, EncryptionAlgorithm = algorithm })).Plaintext.ToArray());

        var tooLong = await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[limit + 1], EncryptionAlgorithm = algorithm }));
        Assert.Contains(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), tooLong.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionAlgorithm = algorithm, EncryptionContext = TestData.Context(("a", "b")) }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = outside }));
        EncryptionAlgorithmSpec other = algorithm == EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 ? EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 : EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1;
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = outside, KeyId = key.KeyId, EncryptionAlgorithm = other }));
        byte[] tampered = (byte[])outside.Clone();
        tampered[10] ^= 1;
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = tampered, KeyId = key.KeyId, EncryptionAlgorithm = algorithm }));

        // ReEncrypt from the RSA key to a symmetric key and back.
        KeyMetadata symmetric = await NewKey();
        ReEncryptResponse moved = await Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = outside, SourceKeyId = key.KeyId, SourceEncryptionAlgorithm = algorithm, DestinationKeyId = symmetric.KeyId });
        Assert.Equal(plaintext, (await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = moved.CiphertextBlob })).Plaintext.ToArray());
    }
}
