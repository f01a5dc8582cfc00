using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates;

/// <summary>
/// The CA keys: made for the algorithms Vaultlib supports (RSA 2048/3072/4096, ECDSA on P-256/P-384/P-521, with
/// .NET's own types over OpenSSL), the signing algorithm checked against the key's family, and the CA's key object
/// kept loaded for signing. Exported (PKCS#8) only into the record being written.
/// </summary>
internal static class CaKeys
{
    /// <summary>A new key of <paramref name="algorithm"/>; ML-DSA and SM2 are <see cref="InvalidArgsException"/>.</summary>
    public static AsymmetricAlgorithm Create(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.RSA_2048 => RSA.Create(2048),
        KeyAlgorithm.RSA_3072 => RSA.Create(3072),
        KeyAlgorithm.RSA_4096 => RSA.Create(4096),
        KeyAlgorithm.EC_prime256v1 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.EC_secp384r1 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyAlgorithm.EC_secp521r1 => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        _ => throw new InvalidArgsException("CertificateAuthorityConfiguration.KeyAlgorithm", $"The key algorithm {algorithm} is not supported by Vaultlib (RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1 and EC_secp521r1 are)."),
    };

    /// <summary>Whether <paramref name="signing"/> is of <paramref name="key"/>'s family.</summary>
    public static bool Suits(KeyAlgorithm key, SigningAlgorithm signing) =>
        IsRsa(key)
            ? signing is SigningAlgorithm.SHA256WITHRSA or SigningAlgorithm.SHA384WITHRSA or SigningAlgorithm.SHA512WITHRSA
            : key is KeyAlgorithm.EC_prime256v1 or KeyAlgorithm.EC_secp384r1 or KeyAlgorithm.EC_secp521r1
              && signing is SigningAlgorithm.SHA256WITHECDSA or SigningAlgorithm.SHA384WITHECDSA or SigningAlgorithm.SHA512WITHECDSA;

    public static bool IsRsa(KeyAlgorithm key) => key is KeyAlgorithm.RSA_2048 or KeyAlgorithm.RSA_3072 or KeyAlgorithm.RSA_4096;

    /// <summary>The hash of <paramref name="signing"/>.</summary>
    public static HashAlgorithmName Hash(SigningAlgorithm signing) => signing switch
    {
        SigningAlgorithm.SHA256WITHECDSA or SigningAlgorithm.SHA256WITHRSA => HashAlgorithmName.SHA256,
        SigningAlgorithm.SHA384WITHECDSA or SigningAlgorithm.SHA384WITHRSA => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    /// <summary>The generator that signs with <paramref name="key"/> as <paramref name="signing"/> says.</summary>
    public static X509SignatureGenerator Signer(AsymmetricAlgorithm key, SigningAlgorithm signing) => key switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new InvalidOperationException("Unknown CA key type."),
    };

    /// <summary>A certificate request over <paramref name="key"/>.</summary>
    public static CertificateRequest Request(X500DistinguishedName subject, AsymmetricAlgorithm key, HashAlgorithmName hash) => key switch
    {
        RSA rsa => new CertificateRequest(subject, rsa, hash, RSASignaturePadding.Pkcs1),
        ECDsa ec => new CertificateRequest(subject, ec, hash),
        _ => throw new InvalidOperationException("Unknown CA key type."),
    };

    /// <summary>Loads a PKCS#8 key of <paramref name="algorithm"/>'s family.</summary>
    public static AsymmetricAlgorithm Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> pkcs8) => Import(IsRsa(algorithm), pkcs8);

    /// <summary>Loads a PKCS#8 RSA or ECDSA key (a CA's, or an ACM certificate's).</summary>
    public static AsymmetricAlgorithm Import(bool rsa, ReadOnlySpan<byte> pkcs8)
    {
        AsymmetricAlgorithm key = rsa ? RSA.Create() : ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out _);
            return key;
        }
        catch
        {
            // Stryker disable once Statement : disposing the key no one gets frees it early; nothing reads it
            key.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="certificate"/>'s public key is <paramref name="key"/>'s.</summary>
    public static bool SamePublicKey(X509Certificate2 certificate, AsymmetricAlgorithm key) =>
        certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
}
