using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>DisableKey</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task Disabled_keys_refuse_cryptography_with_DisabledException_until_enabled()
    {
        KeyMetadata key = await NewKey();
        byte[] blob = await Encrypt(key.KeyId, [1]);
        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });

        KeyMetadata described = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.Disabled, described.KeyState);
        Assert.False(described.Enabled);
        var disabled = await Assert.ThrowsAsync<DisabledException>(() => Encrypt(key.KeyId, [1]));
        Assert.Contains(key.Arn, disabled.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DisabledException>(() => Decrypt(blob));
        await Assert.ThrowsAsync<DisabledException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 }));
        await Assert.ThrowsAsync<DisabledException>(() => Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = key.KeyId }));
        await Assert.ThrowsAsync<DisabledException>(() => Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));

        await Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });
        Assert.Equal([1], await Decrypt(blob));
    }
}
