using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>CancelKeyDeletion</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task CancelKeyDeletion_leaves_the_key_disabled()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId }));
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });

        CancelKeyDeletionResponse cancelled = await Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = key.KeyId });

        Assert.Equal(key.Arn, cancelled.KeyId);
        KeyMetadata after = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.Disabled, after.KeyState);
        Assert.Null(after.DeletionDate);
        Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(KeyState.Disabled, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }
}
