using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Vaultlib.Internal;

namespace Vaultlib.Keys;

/// <summary>
/// The cryptography of importing key material (BYOK): the RSA wrapping keys GetParametersForImport
/// hands out, unwrapping by each of AWS's wrapping algorithms, and checking that the material fits
/// the key. Everything here is System.Security.Cryptography (RSA-OAEP, RFC 5649 AES key wrap with
/// padding) except Ed25519 private keys, which .NET cannot read.
/// </summary>
internal static class KeyImport
{
    /// <summary>How long a public key and import token are accepted, as in AWS.</summary>
    public static TimeSpan ParametersLifetime { get; } = TimeSpan.FromHours(24);

    /// <summary>The furthest ahead ValidTo may be, as in AWS.</summary>
    public static TimeSpan MaxValidity { get; } = TimeSpan.FromDays(365);

    /// <summary>The most outstanding GetParametersForImport answers a key keeps; older ones are forgotten (their tokens become invalid).</summary>
    public const int MaxOutstandingParameters = 5;

    private static ReadOnlySpan<byte> MaterialIdLabel => "vaultlib/kms/imported-key-material/v1"u8;

    /// <summary>Refuses the wrapping algorithms and key specs AWS does not offer outside its China Regions, and the combinations it does not allow.</summary>
    public static void RequireSupported(KeySpec keySpec, AlgorithmSpec algorithm, WrappingKeySpec wrappingKeySpec)
    {
        if (wrappingKeySpec == WrappingKeySpec.SM2 || algorithm == AlgorithmSpec.SM2PKE)
        {
            throw new ValidationException(wrappingKeySpec == WrappingKeySpec.SM2 ? "WrappingKeySpec" : "WrappingAlgorithm", "SM2 wrapping is available only in AWS's China Regions.");
        }

        if (algorithm == AlgorithmSpec.RSAES_PKCS1_V1_5)
        {
            throw new ValidationException("WrappingAlgorithm", "RSAES_PKCS1_V1_5 is no longer supported for importing key material; use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.");
        }

        if (KeySpecs.IsRsa(keySpec) && algorithm is not (AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1 or AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256))
        {
            throw new ValidationException("WrappingAlgorithm", $"An RSA private key ({keySpec}) is too long for RSAES wrapping; use RSA_AES_KEY_WRAP_SHA_1 or RSA_AES_KEY_WRAP_SHA_256.");
        }
    }

    /// <summary>A fresh RSA wrapping key: its private key (PKCS #8 DER, secret) and its public key (SPKI DER).</summary>
    public static (SecretBuffer PrivateKey, byte[] PublicKey) NewWrappingKey(WrappingKeySpec spec)
    {
        int bits = spec switch
        {
            WrappingKeySpec.RSA_2048 => 2048,
            WrappingKeySpec.RSA_3072 => 3072,
            WrappingKeySpec.RSA_4096 => 4096,
            _ => throw new ValidationException("WrappingKeySpec", $"Unsupported wrapping key spec {spec}."),
        };
        using var rsa = RSA.Create(bits);
        byte[] pkcs8 = rsa.ExportPkcs8PrivateKey();
        try
        {
            return (SecretBuffer.Copy(pkcs8), rsa.ExportSubjectPublicKeyInfo());
        }
        // Stryker disable all : zeroing a copy no test can reach after the call
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        // Stryker restore all
    }

    /// <summary>
    /// The key material inside <paramref name="encrypted"/>, unwrapped with the parameters' private key
    /// as their algorithm says; the caller zeroes it. Anything that does not unwrap is
    /// <see cref="InvalidCiphertextException"/>, as in AWS.
    /// </summary>
    public static byte[] Unwrap(ImportParameters parameters, ReadOnlySpan<byte> encrypted)
    {
        using var rsa = RSA.Create();
        using (SecretLease lease = parameters.PrivateKey.Lease())
        {
            rsa.ImportPkcs8PrivateKey(lease.Span, out _);
        }

        int modulusBytes = rsa.KeySize / 8;
        try
        {
            switch (parameters.WrappingAlgorithm)
            {
                case AlgorithmSpec.RSAES_OAEP_SHA_1:
                case AlgorithmSpec.RSAES_OAEP_SHA_256:
                    return encrypted.Length == modulusBytes
                        ? rsa.Decrypt(encrypted, Oaep(parameters.WrappingAlgorithm))
                        : throw Unwrappable($"an RSAES-wrapped key material is exactly {modulusBytes} bytes for this wrapping key");
                case AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1:
                case AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_256:
                    // RSA-OAEP(ephemeral AES key) || AES-KWP(material) (RFC 5649), as AWS and CloudHSM define it.
                    if (encrypted.Length <= modulusBytes + 8)
                    {
                        throw Unwrappable($"an RSA_AES-wrapped key material is the {modulusBytes}-byte wrapped AES key followed by the AES-wrapped material");
                    }

                    byte[] aesKey = rsa.Decrypt(encrypted[..modulusBytes], Oaep(parameters.WrappingAlgorithm));
                    try
                    {
                        // AWS's procedure wraps with an AES-256 key; a shorter one is refused, never weaker than AWS.
                        if (aesKey.Length != 32)
                        {
                            throw Unwrappable("the wrapped AES key is not 256 bits");
                        }

                        using var aes = Aes.Create();
                        aes.Key = aesKey;
                        return aes.DecryptKeyWrapPadded(encrypted[modulusBytes..]);
                    }
                    finally
                    {
                        // Stryker disable once Statement : zeroing a copy no test can reach after the call
                        CryptographicOperations.ZeroMemory(aesKey);
                    }

                default:
                    // Stryker disable once all : GetParametersForImport validated the algorithm the token carries
                    throw Unwrappable($"wrapping algorithm {parameters.WrappingAlgorithm} is not supported");
            }
        }
        catch (CryptographicException)
        {
            throw Unwrappable("it does not decrypt with the wrapping key and algorithm of the import token");
        }
    }

    /// <summary>
    /// Checks that <paramref name="material"/> is key material of <paramref name="spec"/> and returns it
    /// as the key service holds it (PKCS #8 re-encoded canonically for asymmetric keys), with the public key.
    /// </summary>
    /// <exception cref="IncorrectKeyMaterialException">The material is not of the key's spec.</exception>
    public static (SecretBuffer Secret, byte[]? PublicKey) ReadMaterial(KeySpec spec, ReadOnlySpan<byte> material)
    {
        if (spec == KeySpec.SYMMETRIC_DEFAULT)
        {
            return material.Length == 32 ? (SecretBuffer.Copy(material), null) : throw Incorrect($"symmetric key material is 256 bits (32 bytes), not {material.Length} bytes");
        }

        if (KeySpecs.IsHmac(spec))
        {
            // AWS: HMAC_224 28-64 bytes, HMAC_256 32-64, HMAC_384 48-128, HMAC_512 64-128.
            int min = KeySpecs.HmacKeyLength(spec);
            int max = spec is KeySpec.HMAC_224 or KeySpec.HMAC_256 ? 64 : 128;
            return material.Length >= min && material.Length <= max
                ? (SecretBuffer.Copy(material), null)
                : throw Incorrect($"{spec} key material is {min} to {max} bytes, not {material.Length}");
        }

        byte[]? pkcs8 = null;
        try
        {
            // Assigned up front (and `read` below too), so that removing any branch still compiles under mutation
            // testing (a branch removed leaves the key with empty material, which every import test that signs sees).
            byte[] spki = [];
            if (KeySpecs.IsRsa(spec))
            {
                using var rsa = RSA.Create();
                int read = 0;
                rsa.ImportPkcs8PrivateKey(material, out read);
                RequireWhole(read, material.Length);
                if (rsa.KeySize != KeySpecs.RsaBits(spec))
                {
                    throw Incorrect($"the RSA key is {rsa.KeySize} bits; {spec} needs {KeySpecs.RsaBits(spec)}");
                }

                (pkcs8, spki) = (rsa.ExportPkcs8PrivateKey(), rsa.ExportSubjectPublicKeyInfo());
            }
            else if (KeySpecs.IsEcdsa(spec))
            {
                using var ecdsa = ECDsa.Create();
                int read = 0;
                ecdsa.ImportPkcs8PrivateKey(material, out read);
                RequireWhole(read, material.Length);
                // Stryker disable once Boolean : with or without the private part, the curve read is the same
                if (ecdsa.ExportParameters(false).Curve.Oid?.Value != KeySpecs.Curve(spec).Oid.Value)
                {
                    throw Incorrect($"the private key is not on the curve of {spec}");
                }

                (pkcs8, spki) = (ecdsa.ExportPkcs8PrivateKey(), ecdsa.ExportSubjectPublicKeyInfo());
            }
            else
            {
                // Read as a nullable first (not a pattern variable), so that removing the check still compiles.
                var ed25519 = PrivateKeyFactory.CreateKey(material.ToArray()) as Ed25519PrivateKeyParameters;
                if (ed25519 is null)
                {
                    throw Incorrect("the private key is not an Ed25519 key");
                }

                (pkcs8, spki) = AsymmetricCrypto.Ed25519Encode(ed25519);
            }

            return (SecretBuffer.Copy(pkcs8), spki);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or InvalidCastException or IOException or Org.BouncyCastle.Asn1.Asn1Exception or InvalidOperationException)
        {
            throw Incorrect($"the material is not a PKCS #8 DER private key of {spec}");
        }
        // Stryker disable all : zeroing a copy no test can reach after the call
        finally
        {
            if (pkcs8 is not null)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }

        // Stryker restore all
    }

    /// <summary>
    /// The id of imported material: HMAC-SHA-256 keyed by the material over a fixed label and the key id,
    /// so that importing the same material again gives the same id (and only the same material matches),
    /// while the id reveals nothing of it.
    /// </summary>
    public static string MaterialId(SecretBuffer secret, string keyId)
    {
        Span<byte> message = stackalloc byte[MaterialIdLabel.Length + Encoding.UTF8.GetMaxByteCount(keyId.Length)];
        MaterialIdLabel.CopyTo(message);
        int length = MaterialIdLabel.Length + Encoding.UTF8.GetBytes(keyId, message[MaterialIdLabel.Length..]);
        Span<byte> mac = stackalloc byte[32];
        using (SecretLease lease = secret.Lease())
        {
            HMACSHA256.HashData(lease.Span, message[..length], mac);
        }

        return Convert.ToHexStringLower(mac);
    }

    /// <summary>The parameters whose token is <paramref name="token"/> (compared in constant time), or null.</summary>
    public static ImportParameters? FindToken(IEnumerable<ImportParameters> outstanding, ReadOnlySpan<byte> token)
    {
        ImportParameters? found = null;
        foreach (ImportParameters parameters in outstanding)
        {
            if (CryptographicOperations.FixedTimeEquals(parameters.ImportToken, token))
            {
                found = parameters;
            }
        }

        return found;
    }

    private static RSAEncryptionPadding Oaep(AlgorithmSpec algorithm) =>
        algorithm is AlgorithmSpec.RSAES_OAEP_SHA_1 or AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;

    private static void RequireWhole(int read, int length)
    {
        if (read != length)
        {
            throw Incorrect($"{length - read} bytes follow the private key");
        }
    }

    private static InvalidCiphertextException Unwrappable(string why) => new($"The encrypted key material could not be unwrapped: {why}.");

    private static IncorrectKeyMaterialException Incorrect(string why) => new($"The key material is not valid for this KMS key: {why}.");
}
