using System.Security.Cryptography;

namespace Vaultlib.Keys;

/// <summary>What each AWS key spec is: its usages, algorithms and limits (AWS "Key spec reference").</summary>
internal static class KeySpecs
{
    public static bool IsRsa(KeySpec spec) => spec is KeySpec.RSA_2048 or KeySpec.RSA_3072 or KeySpec.RSA_4096;

    public static bool IsEcdsa(KeySpec spec) => spec is KeySpec.ECC_NIST_P256 or KeySpec.ECC_NIST_P384 or KeySpec.ECC_NIST_P521 or KeySpec.ECC_SECG_P256K1;

    public static bool IsHmac(KeySpec spec) => spec is KeySpec.HMAC_224 or KeySpec.HMAC_256 or KeySpec.HMAC_384 or KeySpec.HMAC_512;

    public static bool IsAsymmetric(KeySpec spec) => IsRsa(spec) || IsEcdsa(spec) || spec == KeySpec.ECC_NIST_EDWARDS25519;

    public static int RsaBits(KeySpec spec) => spec switch
    {
        KeySpec.RSA_2048 => 2048,
        KeySpec.RSA_3072 => 3072,
        _ => 4096,
    };

    /// <summary>The usages a spec allows; the first is the default.</summary>
    public static KeyUsageType[] Usages(KeySpec spec) => spec switch
    {
        KeySpec.SYMMETRIC_DEFAULT => [KeyUsageType.ENCRYPT_DECRYPT],
        KeySpec.RSA_2048 or KeySpec.RSA_3072 or KeySpec.RSA_4096 => [KeyUsageType.ENCRYPT_DECRYPT, KeyUsageType.SIGN_VERIFY],
        KeySpec.HMAC_224 or KeySpec.HMAC_256 or KeySpec.HMAC_384 or KeySpec.HMAC_512 => [KeyUsageType.GENERATE_VERIFY_MAC],
        KeySpec.ECC_NIST_P256 or KeySpec.ECC_NIST_P384 or KeySpec.ECC_NIST_P521 => [KeyUsageType.SIGN_VERIFY, KeyUsageType.KEY_AGREEMENT],
        _ => [KeyUsageType.SIGN_VERIFY],
    };

    /// <summary>The key agreement algorithms of a KEY_AGREEMENT key (ECDH on the NIST curves).</summary>
    public static KeyAgreementAlgorithmSpec[] KeyAgreementAlgorithms(KeyUsageType usage) =>
        usage == KeyUsageType.KEY_AGREEMENT ? [KeyAgreementAlgorithmSpec.ECDH] : [];

    public static EncryptionAlgorithmSpec[] EncryptionAlgorithms(KeySpec spec, KeyUsageType usage) =>
        usage != KeyUsageType.ENCRYPT_DECRYPT ? []
        : spec == KeySpec.SYMMETRIC_DEFAULT ? [EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT]
        : [EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256];

    public static SigningAlgorithmSpec[] SigningAlgorithms(KeySpec spec, KeyUsageType usage) =>
        usage != KeyUsageType.SIGN_VERIFY ? [] : spec switch
        {
            KeySpec.RSA_2048 or KeySpec.RSA_3072 or KeySpec.RSA_4096 =>
            [
                SigningAlgorithmSpec.RSASSA_PSS_SHA_256, SigningAlgorithmSpec.RSASSA_PSS_SHA_384, SigningAlgorithmSpec.RSASSA_PSS_SHA_512,
                SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512,
            ],
            KeySpec.ECC_NIST_P256 or KeySpec.ECC_SECG_P256K1 => [SigningAlgorithmSpec.ECDSA_SHA_256],
            KeySpec.ECC_NIST_P384 => [SigningAlgorithmSpec.ECDSA_SHA_384],
            KeySpec.ECC_NIST_P521 => [SigningAlgorithmSpec.ECDSA_SHA_512],
            KeySpec.ECC_NIST_EDWARDS25519 => [SigningAlgorithmSpec.ED25519_SHA_512, SigningAlgorithmSpec.ED25519_PH_SHA_512],
            _ => [],
        };

    public static MacAlgorithmSpec[] MacAlgorithms(KeySpec spec) => spec switch
    {
        KeySpec.HMAC_224 => [MacAlgorithmSpec.HMAC_SHA_224],
        KeySpec.HMAC_256 => [MacAlgorithmSpec.HMAC_SHA_256],
        KeySpec.HMAC_384 => [MacAlgorithmSpec.HMAC_SHA_384],
        KeySpec.HMAC_512 => [MacAlgorithmSpec.HMAC_SHA_512],
        _ => [],
    };

    /// <summary>The HMAC key length: the hash's output length, as AWS generates them.</summary>
    public static int HmacKeyLength(KeySpec spec) => spec switch
    {
        KeySpec.HMAC_224 => 28,
        KeySpec.HMAC_256 => 32,
        KeySpec.HMAC_384 => 48,
        _ => 64,
    };

    /// <summary>The most plaintext RSA-OAEP takes: k − 2·hLen − 2 (2048: 214/190, 3072: 342/318, 4096: 470/446).</summary>
    public static int RsaMaxPlaintext(KeySpec spec, EncryptionAlgorithmSpec algorithm) =>
        (RsaBits(spec) / 8) - (2 * (algorithm == EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 ? 20 : 32)) - 2;

    public static HashAlgorithmName Hash(SigningAlgorithmSpec algorithm) => algorithm switch
    {
        SigningAlgorithmSpec.RSASSA_PSS_SHA_256 or SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256 or SigningAlgorithmSpec.ECDSA_SHA_256 => HashAlgorithmName.SHA256,
        SigningAlgorithmSpec.RSASSA_PSS_SHA_384 or SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384 or SigningAlgorithmSpec.ECDSA_SHA_384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    public static int HashLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : 64;

    public static int CurveBits(KeySpec spec) => spec switch
    {
        KeySpec.ECC_NIST_P384 => 384,
        KeySpec.ECC_NIST_P521 => 521,
        _ => 256,
    };

    public static ECCurve Curve(KeySpec spec) => spec switch
    {
        KeySpec.ECC_NIST_P256 => ECCurve.NamedCurves.nistP256,
        KeySpec.ECC_NIST_P384 => ECCurve.NamedCurves.nistP384,
        KeySpec.ECC_NIST_P521 => ECCurve.NamedCurves.nistP521,
        _ => ECCurve.CreateFromValue("1.3.132.0.10"), // secp256k1
    };

    public static KeySpec ToKeySpec(DataKeyPairSpec spec) => spec switch
    {
        DataKeyPairSpec.RSA_2048 => KeySpec.RSA_2048,
        DataKeyPairSpec.RSA_3072 => KeySpec.RSA_3072,
        DataKeyPairSpec.RSA_4096 => KeySpec.RSA_4096,
        DataKeyPairSpec.ECC_NIST_P256 => KeySpec.ECC_NIST_P256,
        DataKeyPairSpec.ECC_NIST_P384 => KeySpec.ECC_NIST_P384,
        DataKeyPairSpec.ECC_NIST_P521 => KeySpec.ECC_NIST_P521,
        DataKeyPairSpec.ECC_SECG_P256K1 => KeySpec.ECC_SECG_P256K1,
        _ => KeySpec.ECC_NIST_EDWARDS25519,
    };
}
