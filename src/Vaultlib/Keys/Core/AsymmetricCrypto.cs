using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Vaultlib.Internal;

namespace Vaultlib.Keys;

/// <summary>
/// The asymmetric and HMAC cryptography of the key service, on System.Security.Cryptography
/// (OpenSSL) where .NET has it, and on BouncyCastle for what it lacks (Ed25519, HMAC-SHA224).
/// Private keys are PKCS #8 DER in a <see cref="SecretBuffer"/>, imported per operation.
/// </summary>
internal static class AsymmetricCrypto
{
    /// <summary>Makes key material for <paramref name="spec"/>: the secret (PKCS #8 DER, or the HMAC key) and the public key (SPKI DER) when there is one.</summary>
    public static (SecretBuffer Secret, byte[]? PublicKey) Generate(KeySpec spec)
    {
        if (KeySpecs.IsHmac(spec))
        {
            return (SecretBuffer.Random(KeySpecs.HmacKeyLength(spec)), null);
        }

        byte[] pkcs8;
        byte[] spki;
        if (KeySpecs.IsRsa(spec))
        {
            using var rsa = RSA.Create(KeySpecs.RsaBits(spec));
            pkcs8 = rsa.ExportPkcs8PrivateKey();
            spki = rsa.ExportSubjectPublicKeyInfo();
        }
        else if (KeySpecs.IsEcdsa(spec))
        {
            using var ecdsa = ECDsa.Create(KeySpecs.Curve(spec));
            pkcs8 = ecdsa.ExportPkcs8PrivateKey();
            spki = ecdsa.ExportSubjectPublicKeyInfo();
        }
        else
        {
            var key = new Ed25519PrivateKeyParameters(new SecureRandom());

            (pkcs8, spki) = Ed25519Encode(key);
        }

        try
        {
            return (SecretBuffer.Copy(pkcs8), spki);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>
    /// An Ed25519 key as RFC 8410 PKCS #8 version 1 (no embedded public key), the form OpenSSL writes
    /// (OpenSSL 3.0 and everything linked to it cannot load BouncyCastle's default, version 2), and its SPKI.
    /// </summary>
    public static (byte[] Pkcs8, byte[] Spki) Ed25519Encode(Ed25519PrivateKeyParameters key)
    {
        byte[] seed = key.GetEncoded();
        try
        {
            byte[] pkcs8 = new Org.BouncyCastle.Asn1.Pkcs.PrivateKeyInfo(
                new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.EdEC.EdECObjectIdentifiers.id_Ed25519),
                new Org.BouncyCastle.Asn1.DerOctetString(seed)).GetDerEncoded();
            return (pkcs8, SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.GeneratePublicKey()).GetDerEncoded());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Signs a message (RAW) or digest (DIGEST). ECDSA signatures are DER with a low S.</summary>
    public static byte[] Sign(KeySpec spec, SecretBuffer secret, SigningAlgorithmSpec algorithm, MessageType type, ReadOnlySpan<byte> message)
    {
        using SecretLease lease = secret.Lease();
        if (algorithm == SigningAlgorithmSpec.ED25519_PH_SHA_512)
        {
            var privateKey = (Ed25519PrivateKeyParameters)PrivateKeyFactory.CreateKey(lease.Span.ToArray());
            byte[] prehash = type == MessageType.DIGEST ? message.ToArray() : SHA512.HashData(message);
            byte[] prehashed = new byte[Ed25519PrivateKeyParameters.SignatureSize];
            privateKey.Sign(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519ph, [], prehash, 0, prehash.Length, prehashed, 0);
            return prehashed;
        }

        if (spec == KeySpec.ECC_NIST_EDWARDS25519)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, PrivateKeyFactory.CreateKey(lease.Span.ToArray()));
            signer.BlockUpdate(message);
            return signer.GenerateSignature();
        }

        HashAlgorithmName hash = KeySpecs.Hash(algorithm);
        Span<byte> digest = stackalloc byte[64];
        digest = Digest(hash, type, message, digest);
        if (KeySpecs.IsRsa(spec))
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(lease.Span, out _);
            return rsa.SignHash(digest, hash, RsaPadding(algorithm));
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(lease.Span, out _);
        byte[] der = ecdsa.SignHash(digest, DSASignatureFormat.Rfc3279DerSequence);
        return LowS(der, Order(ecdsa));
    }

    /// <summary>Verifies strictly: DER exactly, 0 &lt; r, s &lt; n, low S for ECDSA; exact length for RSA and Ed25519.</summary>
    public static bool Verify(KeySpec spec, byte[] publicKey, SigningAlgorithmSpec algorithm, MessageType type, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (spec == KeySpec.ECC_NIST_EDWARDS25519)
        {
            if (signature.Length != 64)
            {
                return false;
            }

            if (algorithm == SigningAlgorithmSpec.ED25519_PH_SHA_512)
            {
                var key = (Ed25519PublicKeyParameters)PublicKeyFactory.CreateKey(publicKey);
                byte[] prehash = type == MessageType.DIGEST ? message.ToArray() : SHA512.HashData(message);
                return key.Verify(Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Algorithm.Ed25519ph, [], prehash, 0, prehash.Length, signature.ToArray(), 0);
            }

            var verifier = new Ed25519Signer();
            verifier.Init(false, PublicKeyFactory.CreateKey(publicKey));
            verifier.BlockUpdate(message);
            return verifier.VerifySignature(signature.ToArray());
        }

        HashAlgorithmName hash = KeySpecs.Hash(algorithm);
        Span<byte> digest = stackalloc byte[64];
        digest = Digest(hash, type, message, digest);
        if (KeySpecs.IsRsa(spec))
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
            return signature.Length == rsa.KeySize / 8 && rsa.VerifyHash(digest, signature, hash, RsaPadding(algorithm));
        }

        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        return IsCanonicalLowS(signature, Order(ecdsa)) && ecdsa.VerifyHash(digest, signature, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static byte[] RsaEncrypt(byte[] publicKey, EncryptionAlgorithmSpec algorithm, ReadOnlySpan<byte> plaintext)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        return rsa.Encrypt(plaintext.ToArray(), OaepPadding(algorithm));
    }

    /// <summary>Decrypts RSA-OAEP; null when the ciphertext does not decrypt (any reason).</summary>
    public static byte[]? RsaDecrypt(SecretBuffer secret, EncryptionAlgorithmSpec algorithm, ReadOnlySpan<byte> ciphertext)
    {
        using SecretLease lease = secret.Lease();
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(lease.Span, out _);
        if (ciphertext.Length != rsa.KeySize / 8)
        {
            return null;
        }

        try
        {
            return rsa.Decrypt(ciphertext.ToArray(), OaepPadding(algorithm));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public static byte[] Mac(SecretBuffer secret, MacAlgorithmSpec algorithm, ReadOnlySpan<byte> message)
    {
        using SecretLease key = secret.Lease();
        switch (algorithm)
        {
            case MacAlgorithmSpec.HMAC_SHA_256:
                return HMACSHA256.HashData(key.Span, message);
            case MacAlgorithmSpec.HMAC_SHA_384:
                return HMACSHA384.HashData(key.Span, message);
            case MacAlgorithmSpec.HMAC_SHA_512:
                return HMACSHA512.HashData(key.Span, message);
            default:
                // .NET has no HMAC-SHA224; BouncyCastle does.
                var hmac = new HMac(new Sha224Digest());
                byte[] keyBytes = key.Span.ToArray();
                try
                {
                    hmac.Init(new KeyParameter(keyBytes));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(keyBytes);
                }

                hmac.BlockUpdate(message);
                byte[] mac = new byte[hmac.GetMacSize()];
                hmac.DoFinal(mac, 0);
                return mac;
        }
    }

    /// <summary>
    /// ECDH with the key's private key and <paramref name="otherPublicKey"/> (DER SubjectPublicKeyInfo):
    /// the raw shared secret, or null when the public key is malformed or on another curve.
    /// </summary>
    public static byte[]? DeriveSharedSecret(KeySpec spec, SecretBuffer secret, ReadOnlySpan<byte> otherPublicKey)
    {
        using var other = ECDiffieHellman.Create();
        try
        {
            other.ImportSubjectPublicKeyInfo(otherPublicKey, out int read);
            if (read != otherPublicKey.Length || other.KeySize != KeySpecs.CurveBits(spec))
            {
                return null;
            }
        }
        catch (CryptographicException)
        {
            return null;
        }

        using SecretLease lease = secret.Lease();
        using var mine = ECDiffieHellman.Create();
        mine.ImportPkcs8PrivateKey(lease.Span, out _);
        try
        {
            return mine.DeriveRawSecretAgreement(other.PublicKey);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return null; // a point not on this key's curve
        }
    }

    /// <summary>A fresh key pair for GenerateDataKeyPair: PKCS #8 private key and SPKI public key.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateDataKeyPair(DataKeyPairSpec spec)
    {
        (SecretBuffer secret, byte[]? publicKey) = Generate(KeySpecs.ToKeySpec(spec));
        using (secret)
        {
            using SecretLease lease = secret.Lease();
            return (lease.Span.ToArray(), publicKey!);
        }
    }

    private static Span<byte> Digest(HashAlgorithmName hash, MessageType type, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        int length = KeySpecs.HashLength(hash);
        if (type == MessageType.DIGEST)
        {
            message.CopyTo(destination);
            return destination[..length];
        }

        if (hash == HashAlgorithmName.SHA256)
        {
            SHA256.HashData(message, destination);
        }
        else if (hash == HashAlgorithmName.SHA384)
        {
            SHA384.HashData(message, destination);
        }
        else
        {
            SHA512.HashData(message, destination);
        }

        return destination[..length];
    }

    private static RSASignaturePadding RsaPadding(SigningAlgorithmSpec algorithm) =>
        algorithm is SigningAlgorithmSpec.RSASSA_PSS_SHA_256 or SigningAlgorithmSpec.RSASSA_PSS_SHA_384 or SigningAlgorithmSpec.RSASSA_PSS_SHA_512
            ? RSASignaturePadding.Pss
            : RSASignaturePadding.Pkcs1;

    private static RSAEncryptionPadding OaepPadding(EncryptionAlgorithmSpec algorithm) =>
        algorithm == EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;

    private static BigInteger Order(ECDsa key) =>
        new(key.ExportExplicitParameters(false).Curve.Order, isUnsigned: true, isBigEndian: true);

    /// <summary>Replaces S by n − S when S &gt; n/2 (both verify; the low one is canonical).</summary>
    private static byte[] LowS(byte[] der, BigInteger n)
    {
        (BigInteger r, BigInteger s) = ReadSignature(der) ?? throw new CryptographicException("The platform returned a malformed ECDSA signature.");
        if (s <= n / 2)
        {
            return der;
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(r);
            writer.WriteInteger(n - s);
        }

        return writer.Encode();
    }

    private static bool IsCanonicalLowS(ReadOnlySpan<byte> signature, BigInteger n) =>
        ReadSignature(signature) is { } rs && rs.R > 0 && rs.R < n && rs.S > 0 && rs.S <= n / 2;

    /// <summary>Reads SEQUENCE { INTEGER r, INTEGER s } in strict DER with nothing after it; null otherwise.</summary>
    private static (BigInteger R, BigInteger S)? ReadSignature(ReadOnlySpan<byte> der)
    {
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            AsnReader sequence = reader.ReadSequence();
            BigInteger r = sequence.ReadInteger();
            BigInteger s = sequence.ReadInteger();
            if (reader.HasData || sequence.HasData)
            {
                return null;
            }

            return (r, s);
        }
        catch (AsnContentException)
        {
            return null;
        }
    }
}
