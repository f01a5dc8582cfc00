using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>What a ciphertext decrypts with: a symmetric blob and its material, or an RSA key and its raw ciphertext.</summary>
internal interface IDecryptionSource : IKeyResource
{
}

/// <summary>A symmetric blob, parsed, with the key and the material version it names.</summary>
internal sealed record ResolvedBlob(KeyRecord Key, ParsedBlob Blob, KeyMaterial Material) : IDecryptionSource
{
    public string Arn => Key.Arn;
}

/// <summary>An RSA-OAEP ciphertext and the key the request named.</summary>
internal sealed record ResolvedRsa(KeyRecord Key, ReadOnlyMemory<byte> Ciphertext) : IDecryptionSource
{
    public string Arn => Key.Arn;
}

/// <summary>
/// KMS's cryptography over key snapshots: the symmetric blob (<see cref="CiphertextBlob"/>), RSA-OAEP,
/// data keys and data key pairs. Every failure of a ciphertext itself is <see cref="InvalidCiphertextException"/>.
/// </summary>
internal static class KmsCrypto
{
    /// <summary>Encrypts under a symmetric key (the blob format) or an RSA key (plain RSA-OAEP).</summary>
    public static (byte[] Blob, EncryptionAlgorithmSpec Algorithm) EncryptAny(KeyRecord key, EncryptionAlgorithmSpec? requested, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? context, string contextMember)
    {
        EncryptionAlgorithmSpec algorithm = KeyRules.RequireEncryptionKey(key, requested);
        KeyRules.RequireUsable(key);
        if (algorithm == EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
        {
            return (EncryptWith(key, plaintext, EncryptionContextSerializer.Serialize(context, contextMember)), algorithm);
        }

        RequireNoContext(context, contextMember);
        int max = KeySpecs.RsaMaxPlaintext(key.KeySpec, algorithm);
        if (plaintext.Length > max)
        {
            throw new ValidationException("Plaintext", $"{key.KeySpec} with {algorithm} encrypts at most {max} bytes; the plaintext is {plaintext.Length}.");
        }

        return (AsymmetricCrypto.RsaEncrypt(key.Current.PublicKey!, algorithm, plaintext), algorithm);
    }

    /// <summary>Decrypts either kind of ciphertext.</summary>
    public static (byte[] Plaintext, EncryptionAlgorithmSpec Algorithm) DecryptAny(IDecryptionSource source, EncryptionAlgorithmSpec? requested, IReadOnlyDictionary<string, string>? context, string contextMember)
    {
        EncryptionAlgorithmSpec algorithm = KeyRules.RequireEncryptionKey(source.Key, requested);
        KeyRules.RequireUsable(source.Key);
        switch (source)
        {
            case ResolvedBlob blob:
                byte[] serializedContext = EncryptionContextSerializer.Serialize(context, contextMember);
                byte[] plaintext = new byte[blob.Blob.PlaintextLength];
                using (AesGcmPool.Lease gcm = blob.Material.Ciphers.Rent())
                {
                    CiphertextBlob.Decrypt(blob.Blob, gcm.Cipher, serializedContext, plaintext);
                }

                return (plaintext, algorithm);
            case ResolvedRsa rsa:
                RequireNoContext(context, contextMember);
                return (AsymmetricCrypto.RsaDecrypt(rsa.Key.Current.Secret, algorithm, rsa.Ciphertext.Span) ?? throw new InvalidCiphertextException(), algorithm);
            default:
                throw new InvalidCiphertextException();
        }
    }

    /// <summary>A fresh data key and its blob under <paramref name="key"/>.</summary>
    public static (byte[] Blob, byte[] Plaintext) GenerateDataKey(KeyRecord key, int? numberOfBytes, DataKeySpec? spec, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        KeyRules.RequireSymmetricEncryption(key);
        KeyRules.RequireUsable(key);
        byte[] context = EncryptionContextSerializer.Serialize(encryptionContext);
        int length = numberOfBytes ?? (spec == DataKeySpec.AES_128 ? 16 : 32);
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);
        return (EncryptWith(key, plaintext, context), plaintext);
    }

    /// <summary>A fresh key pair of <paramref name="spec"/>, its private key sealed under <paramref name="key"/>.</summary>
    public static (byte[] Blob, byte[] PrivateKey, byte[] PublicKey) GenerateDataKeyPair(KeyRecord key, DataKeyPairSpec spec, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        KeyRules.RequireSymmetricEncryption(key);
        KeyRules.RequireUsable(key);
        byte[] context = EncryptionContextSerializer.Serialize(encryptionContext);
        (byte[] privateKey, byte[] publicKey) = AsymmetricCrypto.GenerateDataKeyPair(spec);
        return (EncryptWith(key, privateKey, context), privateKey, publicKey);
    }

    private static byte[] EncryptWith(KeyRecord key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        KeyMaterial material = key.Current;
        using AesGcmPool.Lease gcm = material.Ciphers.Rent();
        return CiphertextBlob.Encrypt(key.KeyId, material.Version, gcm.Cipher, plaintext, context);
    }

    private static void RequireNoContext(IReadOnlyDictionary<string, string>? context, string member)
    {
        if (context is { Count: > 0 })
        {
            throw new ValidationException(member, "Asymmetric KMS keys do not support an encryption context; it is supported only with symmetric encryption keys.");
        }
    }
}
