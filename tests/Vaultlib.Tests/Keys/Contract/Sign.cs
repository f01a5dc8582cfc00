using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>Sign</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableTheory]
    [InlineData(SigningAlgorithmSpec.RSASSA_PSS_SHA_256)]
    [InlineData(SigningAlgorithmSpec.RSASSA_PSS_SHA_384)]
    [InlineData(SigningAlgorithmSpec.RSASSA_PSS_SHA_512)]
    [InlineData(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256)]
    [InlineData(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384)]
    [InlineData(SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512)]
    public async Task RSA_signatures_verify_with_System_Security_Cryptography_directly(SigningAlgorithmSpec algorithm)
    {
        KeyMetadata key = await NewKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        byte[] message = Encoding.UTF8.GetBytes("sign me " + algorithm);
        byte[] signature = await Sign(key.KeyId, message, algorithm);

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(await PublicKey(key.KeyId), out _);
        HashAlgorithmName hash = algorithm.ToString().EndsWith("256", StringComparison.Ordinal) ? HashAlgorithmName.SHA256 : algorithm.ToString().EndsWith("384", StringComparison.Ordinal) ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        RSASignaturePadding padding = algorithm.ToString().Contains("PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        Assert.True(rsa.VerifyData(message, signature, hash, padding));
        Assert.True((await Verify(key.KeyId, message, signature, algorithm)).SignatureValid);

        // DIGEST: the same signature over the precomputed hash.
        byte[] digest = hash == HashAlgorithmName.SHA256 ? SHA256.HashData(message) : hash == HashAlgorithmName.SHA384 ? SHA384.HashData(message) : SHA512.HashData(message);
        Assert.True((await Verify(key.KeyId, digest, signature, algorithm, MessageType.DIGEST)).SignatureValid);
        Assert.True(rsa.VerifyHash(digest, await Sign(key.KeyId, digest, algorithm, MessageType.DIGEST), hash, padding));
    }

    [SkippableTheory]
    [InlineData(KeySpec.ECC_NIST_P256, SigningAlgorithmSpec.ECDSA_SHA_256)]
    [InlineData(KeySpec.ECC_NIST_P384, SigningAlgorithmSpec.ECDSA_SHA_384)]
    [InlineData(KeySpec.ECC_NIST_P521, SigningAlgorithmSpec.ECDSA_SHA_512)]
    [InlineData(KeySpec.ECC_SECG_P256K1, SigningAlgorithmSpec.ECDSA_SHA_256)]
    public async Task ECDSA_signatures_are_DER_low_S_and_verify_directly(KeySpec spec, SigningAlgorithmSpec algorithm)
    {
        KeyMetadata key = await NewKey(spec);
        byte[] message = RandomNumberGenerator.GetBytes(777);
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(await PublicKey(key.KeyId), out _);
        HashAlgorithmName hash = algorithm == SigningAlgorithmSpec.ECDSA_SHA_256 ? HashAlgorithmName.SHA256 : algorithm == SigningAlgorithmSpec.ECDSA_SHA_384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        BigInteger n = new(ecdsa.ExportExplicitParameters(false).Curve.Order, isUnsigned: true, isBigEndian: true);
        for (int i = 0; i < 8; i++)
        {
            byte[] signature = await Sign(key.KeyId, message, algorithm);
            Assert.True(ecdsa.VerifyData(message, signature, hash, DSASignatureFormat.Rfc3279DerSequence));
            (BigInteger _, BigInteger s) = EcdsaDer.Read(signature);
            Assert.True(s <= n / 2, "KMS-style signatures here are normalized to low S");
            Assert.True((await Verify(key.KeyId, message, signature, algorithm)).SignatureValid);
        }

        // Signatures made outside, with the private key of a generated data key pair of the same spec, verify with Vaultlib's verifier.
        KeyMetadata wrapping = await NewKey();
        GenerateDataKeyPairResponse pair = await Kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = wrapping.KeyId, KeyPairSpec = Enum.Parse<DataKeyPairSpec>(spec.ToString()) });
        using var outside = ECDsa.Create();
        outside.ImportPkcs8PrivateKey(pair.PrivateKeyPlaintext.Span, out _);
        byte[] outsideSignature = EcdsaDer.LowS(outside.SignData(message, hash, DSASignatureFormat.Rfc3279DerSequence), n);
        Assert.True(AsymmetricCrypto.Verify(spec, pair.PublicKey.ToArray(), algorithm, MessageType.RAW, message, outsideSignature));
    }

    [SkippableFact]
    public async Task Ed25519_signatures_verify_with_BouncyCastle_directly_and_take_RAW_only()
    {
        KeyMetadata key = await NewKey(KeySpec.ECC_NIST_EDWARDS25519);
        byte[] message = Encoding.UTF8.GetBytes("edwards");
        byte[] signature = await Sign(key.KeyId, message, SigningAlgorithmSpec.ED25519_SHA_512);
        Assert.Equal(64, signature.Length);
        var verifier = new Ed25519Signer();
        verifier.Init(false, PublicKeyFactory.CreateKey(await PublicKey(key.KeyId)));
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(signature));
        Assert.True((await Verify(key.KeyId, message, signature, SigningAlgorithmSpec.ED25519_SHA_512)).SignatureValid);
        var digest = await Assert.ThrowsAsync<ValidationException>(() => Sign(key.KeyId, SHA512.HashData(message), SigningAlgorithmSpec.ED25519_SHA_512, MessageType.DIGEST));
        Assert.Equal("MessageType", digest.MemberName);
    }

    [SkippableFact]
    public async Task Signing_rules_wrong_usage_algorithm_digest_length_and_states()
    {
        KeyMetadata p256 = await NewKey(KeySpec.ECC_NIST_P256);
        KeyMetadata rsaEncrypt = await NewKey(KeySpec.RSA_2048);
        // The error says which rule failed: the key's usage, or the algorithm among those its spec supports.
        var algorithm = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Sign(p256.KeyId, [1], SigningAlgorithmSpec.ECDSA_SHA_384));
        Assert.EndsWith("does not support signing algorithm ECDSA_SHA_384; it supports ECDSA_SHA_256.", algorithm.Message, StringComparison.Ordinal);
        var usage = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Sign(rsaEncrypt.KeyId, [1], SigningAlgorithmSpec.RSASSA_PSS_SHA_256));
        Assert.EndsWith("key usage is ENCRYPT_DECRYPT, not SIGN_VERIFY.", usage.Message, StringComparison.Ordinal);
        usage = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = p256.KeyId, Plaintext = new byte[] { 1 } }));
        Assert.EndsWith("key usage is SIGN_VERIFY, not ENCRYPT_DECRYPT.", usage.Message, StringComparison.Ordinal);
        algorithm = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = rsaEncrypt.KeyId, Plaintext = new byte[] { 1 } }));
        Assert.EndsWith("does not support encryption algorithm SYMMETRIC_DEFAULT; it supports RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256.", algorithm.Message, StringComparison.Ordinal);
        var length = await Assert.ThrowsAsync<ValidationException>(() => Sign(p256.KeyId, new byte[31], SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.DIGEST));
        Assert.Equal("Message", length.MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Sign(p256.KeyId, new byte[4097], SigningAlgorithmSpec.ECDSA_SHA_256));

        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = p256.KeyId });
        await Assert.ThrowsAsync<DisabledException>(() => Sign(p256.KeyId, [1], SigningAlgorithmSpec.ECDSA_SHA_256));
        await Assert.ThrowsAsync<DisabledException>(() => PublicKey(p256.KeyId));
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = p256.KeyId });
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Sign(p256.KeyId, [1], SigningAlgorithmSpec.ECDSA_SHA_256));
    }

    [SkippableTheory]
    [InlineData(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PSS_SHA_256, "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32")]
    [InlineData(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, "-sha256")]
    [InlineData(KeySpec.ECC_NIST_P256, SigningAlgorithmSpec.ECDSA_SHA_256, "-sha256")]
    [InlineData(KeySpec.ECC_SECG_P256K1, SigningAlgorithmSpec.ECDSA_SHA_256, "-sha256")]
    public async Task Signatures_verify_with_the_openssl_command_line(KeySpec spec, SigningAlgorithmSpec algorithm, string options)
    {
        KeyMetadata key = await NewKey(spec, KeyUsageType.SIGN_VERIFY);
        using var temp = new TempDirectory();
        byte[] message = RandomNumberGenerator.GetBytes(1000);
        await File.WriteAllBytesAsync(temp.Combine("msg"), message);
        await File.WriteAllBytesAsync(temp.Combine("sig"), await Sign(key.KeyId, message, algorithm));
        byte[] publicKey = await PublicKey(key.KeyId);
        await File.WriteAllTextAsync(temp.Combine("pub.pem"), PemEncoding.WriteString("PUBLIC KEY", publicKey));

        string output = OpenSsl($"dgst {options} -verify {temp.Combine("pub.pem")} -signature {temp.Combine("sig")} {temp.Combine("msg")}", []);
        Assert.Contains("Verified OK", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ED25519_PH_SHA_512_signs_a_SHA_512_digest_or_a_raw_message_as_RFC_8032_Ed25519ph()
    {
        KeyMetadata key = await NewKey(KeySpec.ECC_NIST_EDWARDS25519);
        Assert.Equal([SigningAlgorithmSpec.ED25519_SHA_512, SigningAlgorithmSpec.ED25519_PH_SHA_512], key.SigningAlgorithms);
        byte[] message = Encoding.UTF8.GetBytes("pre-hashed Ed25519");
        byte[] digest = SHA512.HashData(message);

        byte[] fromDigest = await Sign(key.KeyId, digest, SigningAlgorithmSpec.ED25519_PH_SHA_512, MessageType.DIGEST);
        byte[] fromRaw = await Sign(key.KeyId, message, SigningAlgorithmSpec.ED25519_PH_SHA_512, MessageType.RAW);
        Assert.Equal(fromDigest, fromRaw); // Ed25519 is deterministic: the same prehash, the same signature

        var verifier = new Ed25519phSigner([]);
        verifier.Init(false, PublicKeyFactory.CreateKey(await PublicKey(key.KeyId)));
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(fromDigest));

        Assert.True((await Verify(key.KeyId, digest, fromDigest, SigningAlgorithmSpec.ED25519_PH_SHA_512, MessageType.DIGEST)).SignatureValid);
        Assert.True((await Verify(key.KeyId, message, fromRaw, SigningAlgorithmSpec.ED25519_PH_SHA_512)).SignatureValid);
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(key.KeyId, message, fromRaw, SigningAlgorithmSpec.ED25519_SHA_512)); // not pure Ed25519
        await Assert.ThrowsAsync<ValidationException>(() => Sign(key.KeyId, digest[..32], SigningAlgorithmSpec.ED25519_PH_SHA_512, MessageType.DIGEST));
        await Assert.ThrowsAsync<ValidationException>(() => Sign(key.KeyId, digest, SigningAlgorithmSpec.ED25519_SHA_512, MessageType.DIGEST));
    }
}
