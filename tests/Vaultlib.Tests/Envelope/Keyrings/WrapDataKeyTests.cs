using System.Security.Cryptography;
using Vaultlib.Envelope;

namespace Vaultlib.Tests.Envelope.Keyrings;

/// <summary>The one wrapping step every wrapping keyring takes: a generated data key is set only once wrapping succeeded.</summary>
public sealed class WrapDataKeyTests
{
    [Fact]
    public void A_wrap_that_fails_leaves_the_materials_as_they_were()
    {
        using var materials = new EncryptionMaterials(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, new Dictionary<string, string>());

        Assert.Throws<CryptographicException>(() => materials.WrapDataKey<int>(static (_, _) => throw new CryptographicException("wrap failed"), 0));

        Assert.False(materials.HasPlaintextDataKey);
        Assert.Empty(materials.EncryptedDataKeys);
    }

    [Fact]
    public void A_generated_key_is_handed_to_the_wrap_and_then_set_and_an_existing_key_is_reused()
    {
        using var materials = new EncryptionMaterials(AlgorithmSuite.AES_128_GCM_IV12_TAG16_HKDF_SHA256, new Dictionary<string, string>());
        byte[] seen = [];
        EncryptedDataKey Wrap(ReadOnlySpan<byte> dataKey, string name)
        {
            seen = dataKey.ToArray();
            return new EncryptedDataKey { KeyProviderId = name, KeyProviderInfo = new byte[1], Ciphertext = dataKey.ToArray() };
        }

        materials.WrapDataKey(Wrap, "first");
        byte[] first = seen;
        materials.WrapDataKey(Wrap, "second");

        Assert.Equal(16, first.Length);
        Assert.Equal(first, seen);
        byte[] set = new byte[16];
        materials.CopyPlaintextDataKey(set);
        Assert.Equal(first, set);
        Assert.Equal(["first", "second"], materials.EncryptedDataKeys.Select(k => k.KeyProviderId));
    }
}
