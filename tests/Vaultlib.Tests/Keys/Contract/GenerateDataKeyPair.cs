using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>GenerateDataKeyPair</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableTheory]
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

    [SkippableFact]
    public async Task Ed25519_data_key_pairs_are_PKCS8_version_1_that_the_openssl_command_line_loads()
    {
        KeyMetadata key = await NewKey();
        GenerateDataKeyPairResponse pair = await Kms.GenerateDataKeyPairAsync(new GenerateDataKeyPairRequest { KeyId = key.KeyId, KeyPairSpec = DataKeyPairSpec.ECC_NIST_EDWARDS25519 });
        byte[] pkcs8 = pair.PrivateKeyPlaintext.ToArray();

        // RFC 8410: SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }.
        Assert.Equal(48, pkcs8.Length);
        Assert.Equal(Convert.FromHexString("302e020100300506032b657004220420"), pkcs8[..16]);

        string derived = OpenSsl("pkey -inform DER -pubout -outform PEM", pkcs8);
        string expected = "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(pair.PublicKey.ToArray()) + "\n-----END PUBLIC KEY-----";
        Assert.Equal(expected, derived.Trim().ReplaceLineEndings("\n"));
    }
}
