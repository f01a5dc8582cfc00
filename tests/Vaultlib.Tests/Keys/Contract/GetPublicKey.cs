using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>GetPublicKey</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task GetPublicKey_of_a_symmetric_key_is_UnsupportedOperationException()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.KeyId }));
    }
}
