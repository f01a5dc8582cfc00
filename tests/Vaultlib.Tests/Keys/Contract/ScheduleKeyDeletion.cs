using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>ScheduleKeyDeletion</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task ScheduleKeyDeletion_validates_the_window_and_refuses_use_while_pending()
    {
        KeyMetadata key = await NewKey();
        var shortWindow = await Assert.ThrowsAsync<ValidationException>(() => Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 6 }));
        Assert.Equal("PendingWindowInDays", shortWindow.MemberName);
        Assert.Contains("between 7 and 30", shortWindow.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 31 }));

        byte[] blob = await Encrypt(key.KeyId, [7]);
        ScheduleKeyDeletionResponse scheduled = await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId });
        Assert.Equal(key.Arn, scheduled.KeyId);
        Assert.Equal(30, scheduled.PendingWindowInDays);
        Assert.Equal(TestData.Epoch.AddDays(30), scheduled.DeletionDate);
        Assert.Equal(KeyState.PendingDeletion, scheduled.KeyState);

        KeyMetadata pending = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
        Assert.Equal(KeyState.PendingDeletion, pending.KeyState);
        Assert.Equal(TestData.Epoch.AddDays(30), pending.DeletionDate);
        Assert.Equal(30, pending.PendingDeletionWindowInDays);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Encrypt(key.KeyId, [1]));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Decrypt(blob));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId }));
    }

    [SkippableFact]
    public async Task A_key_is_gone_once_the_clock_passes_its_DeletionDate()
    {
        KeyMetadata doomed = await NewKey();
        KeyMetadata survivor = await NewKey();
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/doomed", TargetKeyId = doomed.KeyId });
        byte[] blob = await Encrypt(doomed.KeyId, [9]);
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });

        Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(KeyState.PendingDeletion, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = doomed.KeyId })).KeyMetadata.KeyState);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = doomed.KeyId }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/doomed" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.CancelKeyDeletionAsync(new CancelKeyDeletionRequest { KeyId = doomed.KeyId }));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob));
        Assert.Equal([survivor.KeyId], (await Kms.ListKeysAsync(new ListKeysRequest())).Keys.Select(k => k.KeyId));
        Assert.Empty((await Kms.ListAliasesAsync(new ListAliasesRequest())).Aliases);
    }
}
