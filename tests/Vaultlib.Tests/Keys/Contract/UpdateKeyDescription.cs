using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>UpdateKeyDescription</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task UpdateKeyDescription_replaces_the_description()
    {
        KeyMetadata key = await NewKey("old");
        await Kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "new" });
        Assert.Equal("new", (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Description);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = new string('x', 8193) }));
    }
}
