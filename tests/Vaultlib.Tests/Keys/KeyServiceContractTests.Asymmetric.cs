using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Asymmetric (RSA, ECDSA, Ed25519) and HMAC keys, checked against independent implementations.</summary>
public abstract partial class KeyServiceContractTests
{
    private async Task<KeyMetadata> NewKey(KeySpec spec, KeyUsageType? usage = null) =>
        (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = usage })).KeyMetadata;

    private async Task<byte[]> PublicKey(string keyId) =>
        (await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = keyId })).PublicKey.ToArray();

    private async Task<byte[]> Sign(string keyId, byte[] message, SigningAlgorithmSpec algorithm, MessageType type = MessageType.RAW) =>
        (await Kms.SignAsync(new SignRequest { KeyId = keyId, Message = message, SigningAlgorithm = algorithm, MessageType = type })).Signature.ToArray();

    private Task<VerifyResponse> Verify(string keyId, byte[] message, byte[] signature, SigningAlgorithmSpec algorithm, MessageType type = MessageType.RAW) =>
        Kms.VerifyAsync(new VerifyRequest { KeyId = keyId, Message = message, Signature = signature, SigningAlgorithm = algorithm, MessageType = type });

    [Theory]
    [InlineData(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT)]
    [InlineData(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_P521, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_SECG_P256K1, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_EDWARDS25519, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.HMAC_224, KeyUsageType.GENERATE_VERIFY_MAC)]
    [InlineData(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC)]
    public async Task Asymmetric_and_HMAC_keys_have_AWS_metadata_and_refuse_rotation(KeySpec spec, KeyUsageType usage)
    {
        KeyMetadata key = await NewKey(spec, usage);
        Assert.Equal(spec, key.KeySpec);
        Assert.Equal(usage, key.KeyUsage);
        Assert.Equal(usage == KeyUsageType.ENCRYPT_DECRYPT ? [EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256] : [], key.EncryptionAlgorithms);
        Assert.Equal(usage == KeyUsageType.SIGN_VERIFY, key.SigningAlgorithms.Count > 0);
        Assert.Equal(usage == KeyUsageType.GENERATE_VERIFY_MAC, key.MacAlgorithms.Count == 1);

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 }));
        if (spec.ToString().StartsWith("HMAC", StringComparison.Ordinal))
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.KeyId }));
        }
        else
        {
            GetPublicKeyResponse publicKey = await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.Arn });
            Assert.Equal(spec, publicKey.KeySpec);
            Assert.Equal(key.SigningAlgorithms, publicKey.SigningAlgorithms);
            Assert.Equal(0x30, publicKey.PublicKey.Span[0]); // DER SEQUENCE: SubjectPublicKeyInfo
        }
    }

    [Fact]
    public async Task GetPublicKey_of_a_symmetric_key_is_UnsupportedOperationException()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.KeyId }));
    }

    [Theory]
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

    [Theory]
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

    [Fact]
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

    [Fact]
    public async Task Signing_rules_wrong_usage_algorithm_digest_length_and_states()
    {
        KeyMetadata p256 = await NewKey(KeySpec.ECC_NIST_P256);
        KeyMetadata rsaEncrypt = await NewKey(KeySpec.RSA_2048);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Sign(p256.KeyId, [1], SigningAlgorithmSpec.ECDSA_SHA_384));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Sign(rsaEncrypt.KeyId, [1], SigningAlgorithmSpec.RSASSA_PSS_SHA_256));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = p256.KeyId, Plaintext = new byte[] { 1 } }));
        var length = await Assert.ThrowsAsync<ValidationException>(() => Sign(p256.KeyId, new byte[31], SigningAlgorithmSpec.ECDSA_SHA_256, MessageType.DIGEST));
        Assert.Equal("Message", length.MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Sign(p256.KeyId, new byte[4097], SigningAlgorithmSpec.ECDSA_SHA_256));

        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = p256.KeyId });
        await Assert.ThrowsAsync<DisabledException>(() => Sign(p256.KeyId, [1], SigningAlgorithmSpec.ECDSA_SHA_256));
        await Assert.ThrowsAsync<DisabledException>(() => PublicKey(p256.KeyId));
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = p256.KeyId });
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Sign(p256.KeyId, [1], SigningAlgorithmSpec.ECDSA_SHA_256));
    }

    [Fact]
    public async Task Bad_signatures_are_KMSInvalidSignatureException_in_the_spirit_of_Wycheproof()
    {
        KeyMetadata p256 = await NewKey(KeySpec.ECC_NIST_P256);
        byte[] message = Encoding.UTF8.GetBytes("wycheproof");
        byte[] good = await Sign(p256.KeyId, message, SigningAlgorithmSpec.ECDSA_SHA_256);
        (BigInteger r, BigInteger s) = EcdsaDer.Read(good);
        BigInteger n = BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369", System.Globalization.CultureInfo.InvariantCulture);

        var bad = new List<(string Why, byte[] Signature)>
        {
            ("high S (n - s): valid ECDSA, but not canonical", EcdsaDer.Write(r, n - s)),
            ("trailing byte after the DER sequence", [.. good, 0]),
            ("non-minimal integer (a redundant leading zero)", EcdsaDer.WriteRaw(Prefix0(r.ToByteArray(isBigEndian: true)), s.ToByteArray(isBigEndian: true))),
            ("r = 0", EcdsaDer.Write(BigInteger.Zero, s)),
            ("s = 0", EcdsaDer.Write(r, BigInteger.Zero)),
            ("r = n", EcdsaDer.Write(n, s)),
            ("raw r||s instead of DER", [.. Pad(r), .. Pad(s)]),
            ("truncated DER", good[..^1]),
        };
        byte[] flipped = (byte[])good.Clone();
        flipped[^3] ^= 0x10;
        bad.Add(("flipped bit in s", flipped));
        foreach ((string why, byte[] signature) in bad)
        {
            KMSInvalidSignatureException? ex = null;
            try
            {
                await Verify(p256.KeyId, message, signature, SigningAlgorithmSpec.ECDSA_SHA_256);
            }
            catch (KMSInvalidSignatureException caught)
            {
                ex = caught;
            }

            Assert.True(ex is not null, $"accepted a signature with {why}");
            Assert.Equal("KMSInvalidSignatureException", ex!.ErrorCode);
        }

        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(p256.KeyId, [.. message, 1], good, SigningAlgorithmSpec.ECDSA_SHA_256));

        KeyMetadata rsa = await NewKey(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY);
        byte[] rsaSignature = await Sign(rsa.KeyId, message, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256);
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(rsa.KeyId, message, rsaSignature[..^1], SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256));
        // A changed leading byte (flipped, so it differs whatever it was).
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(rsa.KeyId, message, [(byte)(rsaSignature[0] ^ 0x01), .. rsaSignature[1..]], SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256));
        await Assert.ThrowsAsync<KMSInvalidSignatureException>(() => Verify(rsa.KeyId, message, rsaSignature, SigningAlgorithmSpec.RSASSA_PSS_SHA_256));

        static byte[] Prefix0(byte[] value) => [0, .. value];
        static byte[] Pad(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true).Reverse().Concat(new byte[32]).Take(32).Reverse().ToArray();
    }

    [Theory]
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

    [Theory]
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

    [Theory]
    [InlineData(KeySpec.HMAC_224, MacAlgorithmSpec.HMAC_SHA_224, 28)]
    [InlineData(KeySpec.HMAC_256, MacAlgorithmSpec.HMAC_SHA_256, 32)]
    [InlineData(KeySpec.HMAC_384, MacAlgorithmSpec.HMAC_SHA_384, 48)]
    [InlineData(KeySpec.HMAC_512, MacAlgorithmSpec.HMAC_SHA_512, 64)]
    public async Task HMAC_keys_generate_and_verify_MACs_that_OpenSSL_agrees_with(KeySpec spec, MacAlgorithmSpec algorithm, int length)
    {
        KeyMetadata key = await NewKey(spec);
        byte[] message = Encoding.UTF8.GetBytes("mac me");
        GenerateMacResponse mac = await Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = message, MacAlgorithm = algorithm });
        Assert.Equal(length, mac.Mac.Length);
        Assert.Equal(key.Arn, mac.KeyId);

        // Independently: the openssl command line, with the key's material.
        byte[] material = Kms.DangerousExportAllMaterialForTests(key.KeyId).Single();
        Assert.Equal(length, material.Length);
        string digest = "SHA" + algorithm.ToString()[^3..];
        string expected = OpenSsl($"mac -digest {digest} -macopt hexkey:{Convert.ToHexString(material)} -in - HMAC", message).Trim();
        Assert.Equal(expected, Convert.ToHexString(mac.Mac.Span), ignoreCase: true);

        Assert.True((await Kms.VerifyMacAsync(new VerifyMacRequest { KeyId = key.KeyId, Message = message, Mac = mac.Mac, MacAlgorithm = algorithm })).MacValid);
        byte[] flipped = mac.Mac.ToArray();
        flipped[0] ^= 1;
        await Assert.ThrowsAsync<KMSInvalidMacException>(() => Kms.VerifyMacAsync(new VerifyMacRequest { KeyId = key.KeyId, Message = message, Mac = flipped, MacAlgorithm = algorithm }));
        await Assert.ThrowsAsync<KMSInvalidMacException>(() => Kms.VerifyMacAsync(new VerifyMacRequest { KeyId = key.KeyId, Message = message, Mac = mac.Mac[..^1], MacAlgorithm = algorithm }));
        MacAlgorithmSpec wrong = algorithm == MacAlgorithmSpec.HMAC_SHA_256 ? MacAlgorithmSpec.HMAC_SHA_512 : MacAlgorithmSpec.HMAC_SHA_256;
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = message, MacAlgorithm = wrong }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = new byte[4097], MacAlgorithm = algorithm }));
        KeyMetadata symmetric = await NewKey();
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = symmetric.KeyId, Message = message, MacAlgorithm = algorithm }));
    }

    [Theory]
    [InlineData(DataKeyPairSpec.RSA_2048)]
    [InlineData(DataKeyPairSpec.RSA_3072)]
    [InlineData(DataKeyPairSpec.RSA_4096)]
    [InlineData(DataKeyPairSpec.ECC_NIST_P256)]
    [InlineData(DataKeyPairSpec.ECC_NIST_P384)]
    [InlineData(DataKeyPairSpec.ECC_NIST_P521)]
    [InlineData(DataKeyPairSpec.ECC_SECG_P256K1)]
    [InlineData(DataKeyPairSpec.ECC_NIST_EDWARDS25519)]
    public async Task GenerateDataKeyPair_returns_a_usable_pair_and_its_encrypted_private_key(DataKeyPairSpec spec)
    {
        KeyMetadata key = await NewKey();
        var context = TestData.Context(("pair", spec.ToString()));
        GenerateDataKeyPairResponse pair = await Kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = key.KeyId, KeyPairSpec = spec, EncryptionContext = context });
        Assert.Equal(key.Arn, pair.KeyId);
        Assert.Equal(spec, pair.KeyPairSpec);
        Assert.Equal(pair.PrivateKeyPlaintext.ToArray(), (await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = pair.PrivateKeyCiphertextBlob, EncryptionContext = context })).Plaintext.ToArray());

        byte[] message = Encoding.UTF8.GetBytes("pair");
        if (spec.ToString().StartsWith("RSA", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pair.PrivateKeyPlaintext.Span, out _);
            Assert.Equal(pair.PublicKey.ToArray(), rsa.ExportSubjectPublicKeyInfo());
            byte[] signature = rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            Assert.True(AsymmetricCrypto.Verify(KeySpecs.ToKeySpec(spec), pair.PublicKey.ToArray(), SigningAlgorithmSpec.RSASSA_PSS_SHA_256, MessageType.RAW, message, signature));
        }
        else if (spec == DataKeyPairSpec.ECC_NIST_EDWARDS25519)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, PrivateKeyFactory.CreateKey(pair.PrivateKeyPlaintext.ToArray()));
            signer.BlockUpdate(message, 0, message.Length);
            byte[] signature = signer.GenerateSignature();
            Assert.True(AsymmetricCrypto.Verify(KeySpec.ECC_NIST_EDWARDS25519, pair.PublicKey.ToArray(), SigningAlgorithmSpec.ED25519_SHA_512, MessageType.RAW, message, signature));
        }
        else
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pair.PrivateKeyPlaintext.Span, out _);
            Assert.Equal(pair.PublicKey.ToArray(), ecdsa.ExportSubjectPublicKeyInfo());
        }

        GenerateDataKeyPairWithoutPlaintextResponse sealedOnly = await Kms.GenerateDataKeyPairWithoutPlaintextAsync(new GenerateDataKeyPairWithoutPlaintextRequest { KeyId = key.KeyId, KeyPairSpec = spec });
        Assert.NotEmpty(sealedOnly.PublicKey.ToArray());
        Assert.True((await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = sealedOnly.PrivateKeyCiphertextBlob })).Plaintext.Length > 0);
        KeyMetadata signing = await NewKey(KeySpec.ECC_NIST_P256);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = signing.KeyId, KeyPairSpec = spec }));
    }

    [Theory]
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

    private static string OpenSsl(string arguments, byte[] input)
    {
        var start = new ProcessStartInfo("openssl", arguments) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process process = Process.Start(start)!;
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"openssl {arguments}: {output}");
        return output;
    }
}

/// <summary>ECDSA-Sig-Value { r, s } helpers for building malformed and high-S signatures.</summary>
internal static class EcdsaDer
{
    public static (BigInteger R, BigInteger S) Read(byte[] der)
    {
        var reader = new System.Formats.Asn1.AsnReader(der, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        return (reader.ReadInteger(), reader.ReadInteger());
    }

    public static byte[] Write(BigInteger r, BigInteger s)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(s);
        }

        return writer.Encode();
    }

    /// <summary>Hand-assembled DER-like bytes, to express encodings a DER writer refuses (e.g. leading zeros).</summary>
    public static byte[] WriteRaw(byte[] r, byte[] s)
    {
        byte[] body = [0x02, (byte)r.Length, .. r, 0x02, (byte)s.Length, .. s];
        return [0x30, (byte)body.Length, .. body];
    }

    public static byte[] LowS(byte[] der, BigInteger n)
    {
        (BigInteger r, BigInteger s) = Read(der);
        return s > n / 2 ? Write(r, n - s) : der;
    }
}
