using System.Security.Cryptography;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>DeriveSharedSecret</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableTheory]
    [InlineData(KeySpec.ECC_NIST_P256, "prime256v1")]
    [InlineData(KeySpec.ECC_NIST_P384, "secp384r1")]
    [InlineData(KeySpec.ECC_NIST_P521, "secp521r1")]
    public async Task DeriveSharedSecret_equals_what_dotnet_and_the_openssl_command_line_derive_from_the_other_side(KeySpec spec, string opensslCurve)
    {
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = spec, KeyUsage = KeyUsageType.KEY_AGREEMENT })).KeyMetadata;
        Assert.Equal([KeyAgreementAlgorithmSpec.ECDH], key.KeyAgreementAlgorithms);
        Assert.Empty(key.SigningAlgorithms);
        GetPublicKeyResponse kmsPublic = await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.KeyId });
        Assert.Equal([KeyAgreementAlgorithmSpec.ECDH], kmsPublic.KeyAgreementAlgorithms);

        // The other party, in .NET.
        using var other = ECDiffieHellman.Create(KeySpecs.Curve(spec));
        DeriveSharedSecretResponse derived = await Kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest
        {
            KeyId = key.KeyId,
            KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH,
            PublicKey = other.ExportSubjectPublicKeyInfo(),
        });
        using var kmsSide = ECDiffieHellman.Create();
        kmsSide.ImportSubjectPublicKeyInfo(kmsPublic.PublicKey.Span, out _);
        Assert.Equal(other.DeriveRawSecretAgreement(kmsSide.PublicKey), derived.SharedSecret.ToArray());
        Assert.Equal(key.Arn, derived.KeyId);
        Assert.Equal(OriginType.AWS_KMS, derived.KeyOrigin);

        // The other party, with the openssl command line (pkeyutl -derive over PEM files).
        using var temp = new TestSupport.TempDirectory();
        string otherKeyPath = temp.Combine("other.pem"), kmsPublicPath = temp.Combine("kms.pem");
        OpenSsl($"genpkey -algorithm EC -pkeyopt ec_paramgen_curve:{opensslCurve} -out {otherKeyPath}", []);
        await File.WriteAllTextAsync(kmsPublicPath, PemEncoding.WriteString("PUBLIC KEY", kmsPublic.PublicKey.Span));
        string otherPublicPem = OpenSsl($"pkey -in {otherKeyPath} -pubout", []);
        using var otherPublic = ECDiffieHellman.Create();
        otherPublic.ImportFromPem(otherPublicPem);
        string secretPath = temp.Combine("secret.bin");
        OpenSsl($"pkeyutl -derive -inkey {otherKeyPath} -peerkey {kmsPublicPath} -out {secretPath}", []);
        DeriveSharedSecretResponse withOpenssl = await Kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest
        {
            KeyId = key.KeyId,
            KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH,
            PublicKey = otherPublic.ExportSubjectPublicKeyInfo(),
        });
        Assert.Equal(await File.ReadAllBytesAsync(secretPath), withOpenssl.SharedSecret.ToArray());
    }

    [SkippableFact]
    public async Task DeriveSharedSecret_refuses_other_key_usages_other_curves_and_malformed_public_keys()
    {
        KeyMetadata agreement = (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.KEY_AGREEMENT })).KeyMetadata;
        KeyMetadata signing = (await Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata;
        using var p256 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        using var k1 = ECDiffieHellman.Create(ECCurve.CreateFromValue("1.3.132.0.10"));

        Task Derive(string keyId, byte[] publicKey) => Kms.DeriveSharedSecretAsync(new DeriveSharedSecretRequest { KeyId = keyId, KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH, PublicKey = publicKey });

        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Derive(signing.KeyId, p256.ExportSubjectPublicKeyInfo()));
        await Assert.ThrowsAsync<ValidationException>(() => Derive(agreement.KeyId, p384.ExportSubjectPublicKeyInfo()));
        await Assert.ThrowsAsync<ValidationException>(() => Derive(agreement.KeyId, k1.ExportSubjectPublicKeyInfo()));
        await Assert.ThrowsAsync<ValidationException>(() => Derive(agreement.KeyId, [0x30, 0x03, 0x02, 0x01, 0x00]));
        await Assert.ThrowsAsync<ValidationException>(() => Derive(agreement.KeyId, []));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_SECG_P256K1, KeyUsage = KeyUsageType.KEY_AGREEMENT }));
        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = agreement.KeyId });
        await Assert.ThrowsAsync<DisabledException>(() => Derive(agreement.KeyId, p256.ExportSubjectPublicKeyInfo()));
    }
}
