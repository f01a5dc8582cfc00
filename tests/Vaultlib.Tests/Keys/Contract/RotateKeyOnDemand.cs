using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>RotateKeyOnDemand</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task RotateKeyOnDemand_rotates_at_most_25_times_and_keeps_the_schedule()
    {
        KeyMetadata key = await NewKey();
        await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });
        byte[] original = await Encrypt(key.KeyId, [1]);
        Clock.Advance(TimeSpan.FromDays(10)); // an on-demand rotation on day 10 leaves the automatic one on day 365
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal(key.KeyId, (await Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId })).KeyId);
        }

        var limit = await Assert.ThrowsAsync<LimitExceededException>(() => Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
        Assert.Equal("LimitExceededException", limit.ErrorCode);
        Assert.Equal(TestData.Epoch.AddDays(365), (await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).NextRotationDate);
        Assert.Equal([1], await Decrypt(original));

        ListKeyRotationsResponse first = await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId, Limit = 10 });
        ListKeyRotationsResponse second = await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId, Limit = 10, Marker = first.NextMarker });
        ListKeyRotationsResponse third = await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId, Limit = 10, Marker = second.NextMarker });
        RotationsListEntry[] all = [.. first.Rotations, .. second.Rotations, .. third.Rotations];
        Assert.Equal(25, all.Length);
        Assert.False(third.Truncated);
        Assert.All(all, r => Assert.Equal(RotationType.ON_DEMAND, r.RotationType));
        Assert.Equal(25, all.Select(r => r.KeyMaterialId).Distinct().Count());
    }
}
