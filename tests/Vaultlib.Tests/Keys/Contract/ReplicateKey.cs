using System.Security.Cryptography;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>ReplicateKey</c> and of multi-Region keys, on a host of several Regions over the store under test.</summary>
public abstract partial class KeyServiceContractTests
{
    private VaultlibHost NewHost(Vaultlib.Storage.Vault vault) => new(vault, ownsVault: false, timeProvider: Clock);

    [SkippableFact]
    public async Task ReplicateKey_makes_a_replica_with_the_same_id_and_material_in_another_region()
    {
        using VaultlibHost host = NewHost(CreateVault(Clock));
        KeyService east = host.GetKeyService("us-east-1");
        KeyService west = host.GetKeyService("eu-west-1");
        KeyMetadata primary = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true, Description = "primary" })).KeyMetadata;
        byte[] before = (await east.EncryptAsync(new EncryptRequest { KeyId = primary.KeyId, Plaintext = new byte[] { 1 } })).CiphertextBlob.ToArray();

        ReplicateKeyResponse replicated = await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = primary.Arn, ReplicaRegion = "eu-west-1", Description = "replica", Tags = [new Tag { TagKey = "site", TagValue = "dublin" }] });

        KeyMetadata replica = replicated.ReplicaKeyMetadata;
        Assert.Equal(primary.KeyId, replica.KeyId);
        Assert.Equal($"arn:aws:kms:eu-west-1:111122223333:key/{primary.KeyId}", replica.Arn);
        Assert.Equal("replica", replica.Description);
        Assert.Equal(KeyState.Enabled, replica.KeyState);
        Assert.Equal("dublin", Assert.Single(replicated.ReplicaTags).TagValue);
        Assert.Contains("arn:aws:iam::111122223333:root", replicated.ReplicaPolicy, StringComparison.Ordinal);
        Assert.Equal(MultiRegionKeyType.REPLICA, replica.MultiRegionConfiguration!.MultiRegionKeyType);
        Assert.Equal(new MultiRegionKey { Arn = primary.Arn, Region = "us-east-1" }, replica.MultiRegionConfiguration.PrimaryKey);
        Assert.Equal([new MultiRegionKey { Arn = replica.Arn, Region = "eu-west-1" }], replica.MultiRegionConfiguration.ReplicaKeys);
        KeyMetadata described = (await east.DescribeKeyAsync(new DescribeKeyRequest { KeyId = primary.KeyId })).KeyMetadata;
        Assert.Equal(MultiRegionKeyType.PRIMARY, described.MultiRegionConfiguration!.MultiRegionKeyType);
        Assert.Equal(["eu-west-1"], described.MultiRegionConfiguration.ReplicaKeys.Select(k => k.Region));
        Assert.Equal("primary", described.Description);

        // A ciphertext of either decrypts with the other.
        Assert.Equal([1], (await west.DecryptAsync(new DecryptRequest { CiphertextBlob = before })).Plaintext.ToArray());
        byte[] fromWest = (await west.EncryptAsync(new EncryptRequest { KeyId = replica.Arn, Plaintext = new byte[] { 2 } })).CiphertextBlob.ToArray();
        Assert.Equal([2], (await east.DecryptAsync(new DecryptRequest { CiphertextBlob = fromWest, KeyId = primary.Arn })).Plaintext.ToArray());

        // A single-Region key stays in its Region.
        KeyMetadata single = await east.CreateKeyAsync("single");
        byte[] bound = (await east.EncryptAsync(new EncryptRequest { KeyId = single.KeyId, Plaintext = new byte[] { 3 } })).CiphertextBlob.ToArray();
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => west.DecryptAsync(new DecryptRequest { CiphertextBlob = bound }));
    }

    [SkippableFact]
    public async Task ReplicateKey_refuses_what_AWS_refuses()
    {
        using VaultlibHost host = NewHost(CreateVault(Clock));
        KeyService east = host.GetKeyService("us-east-1");
        KeyService west = host.GetKeyService("eu-west-1");
        KeyMetadata single = await east.CreateKeyAsync("single");
        KeyMetadata primary = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata;
        Task<ReplicateKeyResponse> Replicate(KeyService kms, string keyId, string region) => kms.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = region });

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Replicate(east, single.KeyId, "eu-west-1"));
        Assert.Equal("ReplicaRegion", (await Assert.ThrowsAsync<ValidationException>(() => Replicate(east, primary.KeyId, "us-east-1"))).MemberName);
        Assert.Equal("ReplicaRegion", (await Assert.ThrowsAsync<ValidationException>(() => Replicate(east, primary.KeyId, "mars"))).MemberName);
        await Replicate(east, primary.KeyId, "eu-west-1");
        Assert.Equal("AlreadyExistsException", (await Assert.ThrowsAsync<AlreadyExistsException>(() => Replicate(east, primary.KeyId, "eu-west-1"))).ErrorCode);
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Replicate(west, primary.KeyId, "ap-south-1"));
        await east.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/mrk", TargetKeyId = primary.KeyId });
        await Assert.ThrowsAsync<NotFoundException>(() => Replicate(east, "alias/mrk", "ap-south-1"));
        await Assert.ThrowsAsync<InvalidArnException>(() => Replicate(east, "arn:aws:kms:us-east-1:111122223333:alias/mrk", "ap-south-1"));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => west.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = primary.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => west.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = primary.KeyId }));

        // The caller needs kms:CreateKey in the replica's Region (an identity policy that allows only ReplicateKey is not enough).
        var caller = new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:user/replicator" };
        host.IdentityPolicies.Set(caller.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:ReplicateKey","Resource":"*"}]}""");
        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => Replicate(east.AsCaller(caller), primary.KeyId, "ap-south-1"));
        Assert.Contains("kms:CreateKey", denied.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_primary_keys_rotations_reach_its_replicas_and_old_ciphertexts_decrypt_everywhere()
    {
        using VaultlibHost host = NewHost(CreateVault(Clock));
        KeyService east = host.GetKeyService("us-east-1");
        KeyService west = host.GetKeyService("eu-west-1");
        KeyService south = host.GetKeyService("ap-south-1");
        string keyId = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.KeyId;
        await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "eu-west-1" });
        await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "ap-south-1" });
        byte[] v1 = (await west.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 1 } })).CiphertextBlob.ToArray();

        await east.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId });
        await east.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });
        Assert.True((await south.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId })).KeyRotationEnabled);
        Clock.Advance(TimeSpan.FromDays(90));
        await host.GetKeyService("us-east-1").ScheduledWork.RunDueAsync(CancellationToken.None);

        foreach (KeyService region in new[] { east, west, south })
        {
            Assert.Equal(2, (await region.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId })).Rotations.Count);
            Assert.Equal([1], (await region.DecryptAsync(new DecryptRequest { CiphertextBlob = v1 })).Plaintext.ToArray());
        }

        string current = (await east.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.CurrentKeyMaterialId!;
        Assert.Equal(current, (await south.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.CurrentKeyMaterialId);
        byte[] v3 = (await south.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 3 } })).CiphertextBlob.ToArray();
        Assert.Equal([3], (await west.DecryptAsync(new DecryptRequest { CiphertextBlob = v3 })).Plaintext.ToArray());

        // The replicas' own properties stay their own.
        await west.DisableKeyAsync(new DisableKeyRequest { KeyId = keyId });
        Assert.Equal(KeyState.Enabled, (await east.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState);
        await Assert.ThrowsAsync<DisabledException>(() => west.DecryptAsync(new DecryptRequest { CiphertextBlob = v3 }));
    }

    [SkippableFact]
    public async Task UpdatePrimaryRegion_swaps_the_roles_and_the_new_primary_rotates()
    {
        using VaultlibHost host = NewHost(CreateVault(Clock));
        KeyService east = host.GetKeyService("us-east-1");
        KeyService west = host.GetKeyService("eu-west-1");
        string keyId = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.KeyId;
        await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "eu-west-1" });
        byte[] blob = (await east.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 5 } })).CiphertextBlob.ToArray();

        await Assert.ThrowsAsync<NotFoundException>(() => east.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = "ap-south-1" }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => west.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = keyId, PrimaryRegion = "us-east-1" }));
        await east.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/mrk", TargetKeyId = keyId });
        await Assert.ThrowsAsync<NotFoundException>(() => east.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = "alias/mrk", PrimaryRegion = "eu-west-1" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => east.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = "arn:aws:kms:us-east-1:111122223333:alias/mrk", PrimaryRegion = "eu-west-1" }));
        await east.UpdatePrimaryRegionAsync(new UpdatePrimaryRegionRequest { KeyId = $"arn:aws:kms:us-east-1:111122223333:key/{keyId}", PrimaryRegion = "eu-west-1" });

        MultiRegionConfiguration westConfig = (await west.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.MultiRegionConfiguration!;
        MultiRegionConfiguration eastConfig = (await east.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.MultiRegionConfiguration!;
        Assert.Equal(MultiRegionKeyType.PRIMARY, westConfig.MultiRegionKeyType);
        Assert.Equal(MultiRegionKeyType.REPLICA, eastConfig.MultiRegionKeyType);
        Assert.Equal("eu-west-1", eastConfig.PrimaryKey.Region);
        Assert.Equal(["us-east-1"], westConfig.ReplicaKeys.Select(k => k.Region));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => east.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId }));
        await west.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId });
        Assert.Single((await east.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = keyId })).Rotations);
        Assert.Equal([5], (await west.DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext.ToArray());
        await west.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "ap-south-1" });
        Assert.Equal(["ap-south-1", "us-east-1"], (await east.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.MultiRegionConfiguration!.ReplicaKeys.Select(k => k.Region));
    }

    [SkippableFact]
    public async Task A_primary_key_waits_for_its_replicas_to_be_deleted_before_its_own_window_starts()
    {
        using VaultlibHost host = NewHost(CreateVault(Clock));
        KeyService east = host.GetKeyService("us-east-1");
        KeyService west = host.GetKeyService("eu-west-1");
        string keyId = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.KeyId;
        await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "eu-west-1" });

        ScheduleKeyDeletionResponse waiting = await east.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 7 });
        Assert.Equal(KeyState.PendingReplicaDeletion, waiting.KeyState);
        Assert.Null(waiting.DeletionDate);
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => east.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 1 } }));
        await west.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = keyId, PendingWindowInDays = 7 });

        Clock.Advance(TimeSpan.FromDays(7));
        await west.ScheduledWork.RunDueAsync(CancellationToken.None);

        await Assert.ThrowsAsync<NotFoundException>(() => west.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }));
        KeyMetadata primary = (await east.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata;
        Assert.Equal(KeyState.PendingDeletion, primary.KeyState);
        Assert.Equal(Clock.GetUtcNow().AddDays(7), primary.DeletionDate);
        Assert.Empty(primary.MultiRegionConfiguration!.ReplicaKeys);
    }

    [SkippableFact]
    public async Task Multi_region_keys_and_imported_material_survive_a_restart_of_the_host()
    {
        Vaultlib.Storage.Vault vault = CreateVault(Clock);
        string keyId;
        byte[] blob;
        byte[] material = RandomNumberGenerator.GetBytes(32);
        string externalId;
        GetParametersForImportResponse pending;
        using (VaultlibHost first = NewHost(vault))
        {
            KeyService east = first.GetKeyService("us-east-1");
            keyId = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.KeyId;
            await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "eu-west-1" });
            await east.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = keyId });
            blob = (await first.GetKeyService("eu-west-1").EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 8 } })).CiphertextBlob.ToArray();
            externalId = (await east.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL })).KeyMetadata.KeyId;
            await Import(externalId, material, validTo: TestData.Epoch.AddDays(10), kms: east);
            pending = await east.GetParametersForImportAsync(new GetParametersForImportRequest { KeyId = externalId, WrappingAlgorithm = AlgorithmSpec.RSAES_OAEP_SHA_1, WrappingKeySpec = WrappingKeySpec.RSA_2048 });
        }

        using VaultlibHost second = NewHost(vault);
        KeyService reopenedEast = second.GetKeyService("us-east-1");
        KeyMetadata replica = (await second.GetKeyService("eu-west-1").DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata;
        Assert.Equal(MultiRegionKeyType.REPLICA, replica.MultiRegionConfiguration!.MultiRegionKeyType);
        Assert.Equal("us-east-1", replica.MultiRegionConfiguration.PrimaryKey.Region);
        Assert.Equal([8], (await reopenedEast.DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext.ToArray());
        KeyMetadata external = (await reopenedEast.DescribeKeyAsync(new DescribeKeyRequest { KeyId = externalId })).KeyMetadata;
        Assert.Equal(TestData.Epoch.AddDays(10), external.ValidTo);

        // The outstanding import token and its wrapping key were kept: the same material can be imported with them.
        await reopenedEast.ImportKeyMaterialAsync(new ImportKeyMaterialRequest
        {
            KeyId = externalId,
            ImportToken = pending.ImportToken,
            EncryptedKeyMaterial = ImportWrapping.Wrap(pending.PublicKey.Span, AlgorithmSpec.RSAES_OAEP_SHA_1, material),
            ExpirationModel = ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE,
        });
        Assert.Null((await reopenedEast.DescribeKeyAsync(new DescribeKeyRequest { KeyId = externalId })).KeyMetadata.ValidTo);
    }
}
