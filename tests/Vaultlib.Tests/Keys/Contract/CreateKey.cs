using System.Security.Cryptography;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>CreateKey</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task CreateKey_returns_full_metadata_with_aws_defaults()
    {
        KeyMetadata key = await NewKey("payments");

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", key.KeyId);
        Assert.Equal($"arn:aws:kms:us-east-1:111122223333:key/{key.KeyId}", key.Arn);
        Assert.Equal("111122223333", key.AWSAccountId);
        Assert.Equal(TestData.Epoch, key.CreationDate);
        Assert.True(key.Enabled);
        Assert.Equal(KeyState.Enabled, key.KeyState);
        Assert.Equal("payments", key.Description);
        Assert.Equal(KeyUsageType.ENCRYPT_DECRYPT, key.KeyUsage);
        Assert.Equal(KeySpec.SYMMETRIC_DEFAULT, key.KeySpec);
        Assert.Equal(OriginType.AWS_KMS, key.Origin);
        Assert.Equal(KeyManagerType.CUSTOMER, key.KeyManager);
        Assert.Equal([EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT], key.EncryptionAlgorithms);
        Assert.False(key.MultiRegion);
        Assert.Null(key.DeletionDate);
        Assert.Matches("^[0-9a-f]{64}$", key.CurrentKeyMaterialId);
    }

    [SkippableFact]
    public async Task CreateKey_multi_region_key_gets_an_mrk_id()
    {
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata;

        Assert.Matches("^mrk-[0-9a-f]{32}$", key.KeyId);
        Assert.True(key.MultiRegion);
        byte[] blob = await Encrypt(key.KeyId, [1, 2, 3]);
        Assert.Equal([1, 2, 3], await Decrypt(blob));
    }

    [SkippableFact]
    public async Task CreateKey_refuses_what_it_does_not_support_with_aws_errors()
    {
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.AWS_CLOUDHSM }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL_KEY_STORE }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_EDWARDS25519, KeyUsage = KeyUsageType.KEY_AGREEMENT }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.ENCRYPT_DECRYPT }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256, KeyUsage = KeyUsageType.SIGN_VERIFY }));
        var usage = await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeyUsage = KeyUsageType.SIGN_VERIFY }));
        Assert.Equal("KeyUsage", usage.MemberName);
        var description = await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Description = new string('d', 8193) }));
        Assert.Equal("Description", description.MemberName);
        Assert.Contains("8192", description.Message, StringComparison.Ordinal);
        var spec = await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = (KeySpec)99 }));
        Assert.Equal("KeySpec", spec.MemberName);
    }

    [SkippableFact]
    public async Task CreateKey_validates_tags_and_policy()
    {
        await Assert.ThrowsAsync<TagException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Tags = [new Tag { TagKey = "aws:owner", TagValue = "x" }] }));
        await Assert.ThrowsAsync<TagException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Tags = [new Tag { TagKey = "", TagValue = "x" }] }));
        await Assert.ThrowsAsync<TagException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Tags = [new Tag { TagKey = "k", TagValue = new string('v', 257) }] }));
        await Assert.ThrowsAsync<TagException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Tags = Enumerable.Range(0, 51).Select(i => new Tag { TagKey = $"k{i}", TagValue = "v" }).ToArray() }));
        var policy = await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Policy = "{\"Version\": " }));
        Assert.Equal("MalformedPolicyDocumentException", policy.ErrorCode);
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Policy = "[]" }));

        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest { Tags = [new Tag { TagKey = "team", TagValue = "payments" }] })).KeyMetadata;
        ListResourceTagsResponse tags = await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId });
        Assert.Equal([new Tag { TagKey = "team", TagValue = "payments" }], tags.Tags);
    }

    [SkippableTheory]
    [InlineData(KeySpec.RSA_2048, KeyUsageType.ENCRYPT_DECRYPT)]
    [InlineData(KeySpec.RSA_2048, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_P256, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_P384, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_P521, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_SECG_P256K1, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.ECC_NIST_EDWARDS25519, KeyUsageType.SIGN_VERIFY)]
    [InlineData(KeySpec.HMAC_224, KeyUsageType.GENERATE_VERIFY_MAC)]
    [InlineData(KeySpec.HMAC_512, KeyUsageType.GENERATE_VERIFY_MAC)]
    public async Task Asymmetric_and_HMAC_keys_have_AWS_metadata_and_refuse_rotation(KeySpec spec, KeyUsageType usage)
    {
        KeyMetadata key = await NewKey(spec, usage);
        Assert.Equal(spec, key.KeySpec);
        Assert.Equal(usage, key.KeyUsage);
        Assert.Equal(usage == KeyUsageType.ENCRYPT_DECRYPT ? [EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1, EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256] : [], key.EncryptionAlgorithms);
        Assert.Equal(usage == KeyUsageType.SIGN_VERIFY, key.SigningAlgorithms.Count > 0);
        Assert.Equal(usage == KeyUsageType.GENERATE_VERIFY_MAC, key.MacAlgorithms.Count == 1);

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 }));
        if (spec.ToString().StartsWith("HMAC", StringComparison.Ordinal))
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.KeyId }));
        }
        else
        {
            GetPublicKeyResponse publicKey = await Kms.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = key.Arn });
            Assert.Equal(spec, publicKey.KeySpec);
            Assert.Equal(key.SigningAlgorithms, publicKey.SigningAlgorithms);
            Assert.Equal(0x30, publicKey.PublicKey.Span[0]); // DER SEQUENCE: SubjectPublicKeyInfo
        }
    }
}

/// <summary>Contract tests: the AWS KMS keys quota (customer managed keys per Region) that CreateKey enforces.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task CreateKey_beyond_the_customer_managed_keys_quota_is_refused_and_keys_pending_deletion_still_count()
    {
        Assert.Equal(100_000, KeyService.MaxCustomerManagedKeys);
        Kms.Table.CustomerManagedKeyQuota = 3; // the real quota, 100,000, is measured in benchmarks/ScaleBenchmarks.cs
        await Kms.GetOrCreateAwsManagedKeyAsync("ssm"); // AWS managed keys do not count
        KeyMetadata first = await NewKey("one");
        await NewKey("two");
        await NewKey("three");

        var refused = await Assert.ThrowsAsync<LimitExceededException>(() => NewKey("four"));
        Assert.Equal("LimitExceededException", refused.ErrorCode);
        Assert.Equal(3, Kms.Table.CustomerManagedKeyCount);

        // A key pending deletion counts until it is deleted, as in AWS.
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = first.KeyId, PendingWindowInDays = 7 });
        await Assert.ThrowsAsync<LimitExceededException>(() => NewKey("four"));
        Clock.Advance(TimeSpan.FromDays(7));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = first.KeyId }));
        Assert.Equal(2, Kms.Table.CustomerManagedKeyCount);
        Assert.Equal("four", (await NewKey("four")).Description);
        Assert.Equal(3, Kms.Table.CustomerManagedKeyCount);
    }
}

/// <summary>The AWS KMS keys quota's count across two instances sharing one vault.</summary>
public sealed class CustomerManagedKeyQuotaTests
{
    [Fact]
    public async Task The_count_follows_another_instances_creates_and_deletions()
    {
        Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = TestData.NewClock();
        using Vaultlib.Storage.Vault vault = Vaultlib.Storage.Vault.CreateInMemory(clock);
        using var writer = new VaultKeyService(vault, timeProvider: clock);
        using var other = new VaultKeyService(vault, timeProvider: clock);
        KeyMetadata key = await writer.CreateKeyAsync("counted");
        Assert.Equal(key.Arn, (await other.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Arn);
        Assert.Equal(1, other.Table.CustomerManagedKeyCount);

        other.Table.CustomerManagedKeyQuota = 1;
        await Assert.ThrowsAsync<LimitExceededException>(() => other.CreateKeyAsync("over"));

        await writer.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        clock.Advance(TimeSpan.FromDays(7));
        await Assert.ThrowsAsync<NotFoundException>(() => writer.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));

        // The other instance's view may not have seen the purge yet: at its quota, it reads the feed before refusing.
        Assert.Equal("under", (await other.CreateKeyAsync("under")).Description);
        Assert.Equal(1, other.Table.CustomerManagedKeyCount);
    }
}
