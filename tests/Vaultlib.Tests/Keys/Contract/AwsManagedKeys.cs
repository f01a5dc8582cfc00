using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: AWS managed keys (alias/aws/<service>), which no single operation owns.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task AWS_managed_keys_are_created_on_first_use_and_refuse_customer_management()
    {
        string arn = await Kms.GetOrCreateAwsManagedKeyAsync("ssm");
        Assert.Equal(arn, await Kms.GetOrCreateAwsManagedKeyAsync("ssm"));

        KeyMetadata key = (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/ssm" })).KeyMetadata;
        Assert.Equal(arn, key.Arn);
        Assert.Equal(KeyManagerType.AWS, key.KeyManager);
        GetKeyRotationStatusResponse rotation = await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = arn });
        Assert.True(rotation.KeyRotationEnabled);
        Assert.Equal(365, rotation.RotationPeriodInDays);
        Assert.Contains((await Kms.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/aws/ssm" && a.TargetKeyId == key.KeyId);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Kms.DisableKeyAsync(new DisableKeyRequest { KeyId = arn }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = arn }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Kms.DisableKeyRotationAsync(new DisableKeyRotationRequest { KeyId = arn }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = arn, RotationPeriodInDays = 90 }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = arn }));
        await Assert.ThrowsAsync<InvalidAliasNameException>(() => Kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/aws/ssm" }));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/mine", TargetKeyId = arn })); // its key policy allows no CreateAlias

        // Its key policy lets the account use it only through the owning service (kms:ViaService), as AWS's does.
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt("alias/aws/ssm", [3]));
        Assert.Contains("kms:Encrypt", denied.Message, StringComparison.Ordinal);
        byte[] blob;
        using (Vaultlib.Authorization.VaultlibCaller.Use(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app", ViaService = "ssm.us-east-1.amazonaws.com" }))
        {
            blob = await Encrypt("alias/aws/ssm", [3]);
        }

        Clock.Advance(TimeSpan.FromDays(366));
        Assert.Single((await Kms.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = arn })).Rotations);
        using (Vaultlib.Authorization.VaultlibCaller.Use(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:root", ViaService = "ssm.us-east-1.amazonaws.com" }))
        {
            Assert.Equal([3], await Decrypt(blob));
        }
    }
}
