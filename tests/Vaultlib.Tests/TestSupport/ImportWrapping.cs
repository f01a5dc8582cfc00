using System.Security.Cryptography;
using Vaultlib.Keys;

namespace Vaultlib.Tests.TestSupport;

/// <summary>Wraps key material for ImportKeyMaterial as AWS's documentation tells users to, with .NET's primitives (the openssl route is tested too).</summary>
internal static class ImportWrapping
{
    public static byte[] Wrap(ReadOnlySpan<byte> publicKey, AlgorithmSpec algorithm, byte[] material)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKey, out _);
        RSAEncryptionPadding padding = algorithm is AlgorithmSpec.RSAES_OAEP_SHA_1 or AlgorithmSpec.RSA_AES_KEY_WRAP_SHA_1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;
        if (algorithm is AlgorithmSpec.RSAES_OAEP_SHA_1 or AlgorithmSpec.RSAES_OAEP_SHA_256)
        {
            return rsa.Encrypt(material, padding);
        }

        byte[] aesKey = RandomNumberGenerator.GetBytes(32);
        using var aes = Aes.Create();
        aes.Key = aesKey;
        return [.. rsa.Encrypt(aesKey, padding), .. aes.EncryptKeyWrapPadded(material)];
    }

    /// <summary>A key of imported (EXTERNAL) symmetric material that expires at <paramref name="validTo"/>.</summary>
    public static async Task<KeyMetadata> ImportedKeyAsync(KeyService kms, DateTimeOffset validTo)
    {
        KeyMetadata key = (await kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL })).KeyMetadata;
        GetParametersForImportResponse parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = key.KeyId, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_256, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        await kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest
        {
            KeyId = key.KeyId,
            ImportToken = parameters.ImportToken,
            EncryptedKeyMaterial = Wrap(parameters.PublicKey.Span, AlgorithmSpec.RSAES_OAEP_SHA_256, RandomNumberGenerator.GetBytes(32)),
            ValidTo = validTo,
        });
        return key;
    }
}
