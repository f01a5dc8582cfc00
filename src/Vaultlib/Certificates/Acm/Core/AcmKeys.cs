using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates.Acm;

/// <summary>ACM's certificate keys: made for the algorithms RequestCertificate takes, read from imported PEM, and named as ACM names them.</summary>
internal static class AcmKeys
{
    /// <summary>The algorithms RequestCertificate takes (the others are for imports only).</summary>
    public static bool Requestable(KeyAlgorithm algorithm) => algorithm is KeyAlgorithm.RSA_2048 or KeyAlgorithm.EC_prime256v1 or KeyAlgorithm.EC_secp384r1;

    public static bool IsRsa(KeyAlgorithm algorithm) => algorithm is KeyAlgorithm.RSA_1024 or KeyAlgorithm.RSA_2048 or KeyAlgorithm.RSA_3072 or KeyAlgorithm.RSA_4096;

    public static AsymmetricAlgorithm Create(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.RSA_2048 => RSA.Create(2048),
        KeyAlgorithm.EC_prime256v1 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.EC_secp384r1 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        _ => throw new InvalidParameterException($"The key algorithm {algorithm} cannot be requested (RSA_2048, EC_prime256v1 and EC_secp384r1 can)."),
    };

    /// <summary>Loads a PKCS#8 key of <paramref name="algorithm"/>'s family.</summary>
    public static AsymmetricAlgorithm Import(KeyAlgorithm algorithm, ReadOnlySpan<byte> pkcs8) => CaKeys.Import(IsRsa(algorithm), pkcs8);

    /// <summary>The ACM name of a certificate's key algorithm, or null for one ACM does not take.</summary>
    public static KeyAlgorithm? Of(X509Certificate2 certificate)
    {
        using RSA? rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.KeySize switch
            {
                1024 => KeyAlgorithm.RSA_1024,
                2048 => KeyAlgorithm.RSA_2048,
                3072 => KeyAlgorithm.RSA_3072,
                4096 => KeyAlgorithm.RSA_4096,
                _ => null,
            };
        }

        using ECDsa? ec = certificate.GetECDsaPublicKey();
        return ec?.KeySize switch
        {
            256 => KeyAlgorithm.EC_prime256v1,
            384 => KeyAlgorithm.EC_secp384r1,
            521 => KeyAlgorithm.EC_secp521r1,
            _ => null,
        };
    }

    /// <summary>The certificate with its private key attached, for a TLS server.</summary>
    public static X509Certificate2 WithKey(X509Certificate2 certificate, AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => certificate.CopyWithPrivateKey(rsa),
        ECDsa ec => certificate.CopyWithPrivateKey(ec),
        _ => throw new InvalidOperationException("Unknown key type."),
    };
}
