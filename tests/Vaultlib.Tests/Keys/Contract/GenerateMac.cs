using System.Security.Cryptography;
using System.Text;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>GenerateMac</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableTheory]
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
        var usage = await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = symmetric.KeyId, Message = message, MacAlgorithm = algorithm }));
        Assert.EndsWith("key usage is ENCRYPT_DECRYPT, not GENERATE_VERIFY_MAC.", usage.Message, StringComparison.Ordinal);

        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        await Assert.ThrowsAsync<DisabledException>(() => Kms.GenerateMacAsync(new GenerateMacRequest { KeyId = key.KeyId, Message = message, MacAlgorithm = algorithm }));
    }
}
