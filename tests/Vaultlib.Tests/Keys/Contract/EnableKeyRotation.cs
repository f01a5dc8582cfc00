using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>EnableKeyRotation</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task EnableKeyRotation_validates_the_period_and_reports_the_next_date()
    {
        KeyMetadata key = await NewKey();
        GetKeyRotationStatusResponse off = await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.False(off.KeyRotationEnabled);
        Assert.Null(off.NextRotationDate);

        await Assert.ThrowsAsync<ValidationException>(() => Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 89 }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 2561 }));
        await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });

        GetKeyRotationStatusResponse on = await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.True(on.KeyRotationEnabled);
        Assert.Equal(key.KeyId, on.KeyId);
        Assert.Equal(365, on.RotationPeriodInDays);
        Assert.Equal(TestData.Epoch.AddDays(365), on.NextRotationDate);

        await Kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = key.KeyId });
        Assert.False((await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).KeyRotationEnabled);
    }

    [SkippableFact]
    public async Task Scheduled_rotation_happens_when_the_clock_passes_NextRotationDate_and_old_ciphertexts_still_decrypt()
    {
        KeyMetadata key = await NewKey();
        await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        var blobs = new List<(byte[] Blob, byte Value)> { (await Encrypt(key.KeyId, [0]), 0) };
        var materialIds = new HashSet<string> { key.CurrentKeyMaterialId! };

        for (byte year = 1; year <= 4; year++)
        {
            Clock.Advance(TimeSpan.FromDays(90));
            KeyMetadata now = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
            Assert.True(materialIds.Add(now.CurrentKeyMaterialId!), "each rotation must make new material");
            blobs.Add((await Encrypt(key.KeyId, [year]), year));
        }

        foreach ((byte[] blob, byte value) in blobs)
        {
            Assert.Equal([value], await Decrypt(blob));
        }

        ListKeyRotationsResponse rotations = await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId });
        Assert.Equal(4, rotations.Rotations.Count);
        Assert.All(rotations.Rotations, r => Assert.Equal(RotationType.AUTOMATIC, r.RotationType));
        Assert.Equal(Enumerable.Range(1, 4).Select(i => TestData.Epoch.AddDays(90 * i)), rotations.Rotations.Select(r => r.RotationDate));
        Assert.Equal(TestData.Epoch.AddDays(450), (await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).NextRotationDate);
    }

    [SkippableFact]
    public async Task Missed_rotations_are_caught_up_each_at_its_due_date()
    {
        KeyMetadata key = await NewKey();
        byte[] before = await Encrypt(key.KeyId, [1]);
        await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });

        Clock.Advance(TimeSpan.FromDays((365 * 3) + 10));
        ListKeyRotationsResponse rotations = await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId });

        Assert.Equal([TestData.Epoch.AddDays(365), TestData.Epoch.AddDays(730), TestData.Epoch.AddDays(1095)], rotations.Rotations.Select(r => r.RotationDate));
        Assert.Equal([1], await Decrypt(before));
    }

    [SkippableFact]
    public async Task Disabled_keys_do_not_rotate_and_rotate_at_once_when_enabled_after_the_due_date()
    {
        KeyMetadata key = await NewKey();
        await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        await Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        Clock.Advance(TimeSpan.FromDays(200));
        Assert.Empty((await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId })).Rotations);

        await Kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId });

        RotationsListEntry rotation = Assert.Single((await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId })).Rotations);
        Assert.Equal(TestData.Epoch.AddDays(200), rotation.RotationDate);
        Assert.Equal(TestData.Epoch.AddDays(290), (await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId })).NextRotationDate);
    }
}
