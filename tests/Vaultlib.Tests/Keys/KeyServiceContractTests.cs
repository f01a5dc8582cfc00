using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>
/// The behaviour every <see cref="IKeyService"/> implementation must have, as AWS KMS has it.
/// Subclassed once per implementation, so both run every test here.
/// </summary>
public abstract partial class KeyServiceContractTests : IDisposable
{
    private KeyService? _kms;

    protected FakeTimeProvider Clock { get; } = TestData.NewClock();

    protected KeyService Kms => _kms ??= CreateService(Clock);

    protected abstract KeyService CreateService(FakeTimeProvider clock);

    public virtual void Dispose()
    {
        _kms?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<KeyMetadata> NewKey(string? description = null) =>
        (await Kms.CreateKeyAsync(new CreateKeyRequest { Description = description })).KeyMetadata;

    private async Task<byte[]> Encrypt(string keyId, byte[] plaintext, Dictionary<string, string>? context = null) =>
        (await Kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = plaintext, EncryptionContext = context })).CiphertextBlob.ToArray();

    private async Task<byte[]> Decrypt(byte[] blob, Dictionary<string, string>? context = null, string? keyId = null) =>
        (await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = context, KeyId = keyId })).Plaintext.ToArray();

    // ------------------------------------------------------------ CreateKey / DescribeKey

    [Fact]
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

    [Fact]
    public async Task CreateKey_multi_region_key_gets_an_mrk_id()
    {
        KeyMetadata key = (await Kms.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata;

        Assert.Matches("^mrk-[0-9a-f]{32}$", key.KeyId);
        Assert.True(key.MultiRegion);
        byte[] blob = await Encrypt(key.KeyId, [1, 2, 3]);
        Assert.Equal([1, 2, 3], await Decrypt(blob));
    }

    [Fact]
    public async Task CreateKey_refuses_what_it_does_not_support_with_aws_errors()
    {
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { Origin = OriginType.EXTERNAL }));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256, KeyUsage = KeyUsageType.KEY_AGREEMENT }));
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

    [Fact]
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

    [Fact]
    public async Task Every_operation_accepts_every_KeyId_form()
    {
        KeyMetadata key = await NewKey();
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/forms", TargetKeyId = key.KeyId });
        string[] forms = [key.KeyId, key.Arn, "alias/forms", "arn:aws:kms:us-east-1:111122223333:alias/forms"];

        foreach (string form in forms)
        {
            Assert.Equal(key.KeyId, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = form })).KeyMetadata.KeyId);
            byte[] blob = await Encrypt(form, [42]);
            Assert.Equal([42], await Decrypt(blob, keyId: form));
            Assert.Equal(key.Arn, (await Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = form, KeySpec = DataKeySpec.AES_256 })).KeyId);
            await Kms.TagResourceAsync(new TagResourceRequest { KeyId = form, Tags = [new Tag { TagKey = "form", TagValue = form }] });
            await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = form });
            Assert.True((await Kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = form })).KeyRotationEnabled);
            await Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, SourceKeyId = form, DestinationKeyId = form });
        }
    }

    [Fact]
    public async Task Unknown_and_malformed_key_ids_fail_with_aws_errors()
    {
        await NewKey();
        string missing = Guid.NewGuid().ToString("D");

        var notFound = await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = missing }));
        Assert.Contains($"arn:aws:kms:us-east-1:111122223333:key/{missing}", notFound.Message, StringComparison.Ordinal);
        Assert.Equal("NotFoundException", notFound.ErrorCode);
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/none" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "not-a-key" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = $"arn:aws:kms:eu-west-1:111122223333:key/{missing}" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:s3:::bucket" }));
        await Assert.ThrowsAsync<InvalidArnException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "arn:aws:kms:us-east-1:111122223333:key/xyz" }));
        var empty = await Assert.ThrowsAsync<ValidationException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "" }));
        Assert.Equal("KeyId", empty.MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = new string('a', 2049) }));
    }

    [Fact]
    public async Task ListKeys_pages_with_Limit_and_Marker()
    {
        var created = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            created.Add((await NewKey()).KeyId);
        }

        var seen = new List<string>();
        string? marker = null;
        int pages = 0;
        do
        {
            ListKeysResponse page = await Kms.ListKeysAsync(new ListKeysRequest { Limit = 2, Marker = marker });
            Assert.True(page.Keys.Count <= 2);
            Assert.Equal(page.NextMarker is not null, page.Truncated);
            seen.AddRange(page.Keys.Select(k => k.KeyId));
            Assert.All(page.Keys, k => Assert.EndsWith(k.KeyId, k.KeyArn, StringComparison.Ordinal));
            marker = page.NextMarker;
            pages++;
        }
        while (marker is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.Order(StringComparer.Ordinal), seen);
        await Assert.ThrowsAsync<InvalidMarkerException>(() => Kms.ListKeysAsync(new ListKeysRequest { Marker = "bogus" }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.ListKeysAsync(new ListKeysRequest { Limit = 0 }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.ListKeysAsync(new ListKeysRequest { Limit = 1001 }));
    }

    [Fact]
    public async Task UpdateKeyDescription_replaces_the_description()
    {
        KeyMetadata key = await NewKey("old");
        await Kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "new" });
        Assert.Equal("new", (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Description);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = new string('x', 8193) }));
    }

    // ------------------------------------------------------------ tags

    [Fact]
    public async Task Tags_are_added_overwritten_removed_and_paged()
    {
        KeyMetadata key = await NewKey();
        await Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "b", TagValue = "1" }, new Tag { TagKey = "a", TagValue = "1" }] });
        await Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "b", TagValue = "2" }, new Tag { TagKey = "c", TagValue = "3" }] });

        ListResourceTagsResponse first = await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 2 });
        Assert.Equal(["a", "b"], first.Tags.Select(t => t.TagKey));
        Assert.Equal("2", first.Tags[1].TagValue);
        Assert.True(first.Truncated);
        ListResourceTagsResponse second = await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId, Limit = 2, Marker = first.NextMarker });
        Assert.Equal(["c"], second.Tags.Select(t => t.TagKey));
        Assert.False(second.Truncated);

        await Kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["a", "c", "never-set"] });
        Assert.Equal(["b"], (await Kms.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags.Select(t => t.TagKey));

        await Assert.ThrowsAsync<TagException>(() => Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "aws:x", TagValue = "" }] }));
        await Assert.ThrowsAsync<TagException>(() => Kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = Enumerable.Range(0, 50).Select(i => new Tag { TagKey = $"t{i}", TagValue = "" }).ToArray() }));
    }

    // ------------------------------------------------------------ aliases

    [Fact]
    public async Task Aliases_follow_aws_rules()
    {
        KeyMetadata a = await NewKey();
        KeyMetadata b = await NewKey();
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/app/db-key_1", TargetKeyId = a.Arn });

        var exists = await Assert.ThrowsAsync<AlreadyExistsException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/app/db-key_1", TargetKeyId = b.KeyId }));
        Assert.Contains("arn:aws:kms:us-east-1:111122223333:alias/app/db-key_1", exists.Message, StringComparison.Ordinal);
        foreach (string bad in new[] { "app", "alias/", "alias/has space", "alias/é", "alias/a:b" })
        {
            await Assert.ThrowsAsync<InvalidAliasNameException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = bad, TargetKeyId = a.KeyId }));
        }

        // Over the model's 256-character bound is a ValidationException, as in AWS; exactly 256 is fine.
        var tooLong = await Assert.ThrowsAsync<ValidationException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/" + new string('a', 251), TargetKeyId = a.KeyId }));
        Assert.Equal("AliasName", tooLong.MemberName);
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/" + new string('a', 250), TargetKeyId = a.KeyId });
        await Kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/" + new string('a', 250) });

        var reserved = await Assert.ThrowsAsync<InvalidAliasNameException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/aws/mine", TargetKeyId = a.KeyId }));
        Assert.Contains("reserved", reserved.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/x", TargetKeyId = Guid.NewGuid().ToString("D") }));

        await Kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/app/db-key_1", TargetKeyId = b.KeyId });
        Assert.Equal(b.KeyId, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/app/db-key_1" })).KeyMetadata.KeyId);
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.UpdateAliasAsync(new UpdateAliasRequest { AliasName = "alias/missing", TargetKeyId = b.KeyId }));

        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/second", TargetKeyId = a.KeyId });
        ListAliasesResponse ofA = await Kms.ListAliasesAsync(new ListAliasesRequest { KeyId = a.KeyId });
        AliasListEntry entry = Assert.Single(ofA.Aliases);
        Assert.Equal("alias/second", entry.AliasName);
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:alias/second", entry.AliasArn);
        Assert.Equal(a.KeyId, entry.TargetKeyId);
        Assert.Equal(TestData.Epoch, entry.CreationDate);

        ListAliasesResponse page1 = await Kms.ListAliasesAsync(new ListAliasesRequest { Limit = 1 });
        ListAliasesResponse page2 = await Kms.ListAliasesAsync(new ListAliasesRequest { Limit = 1, Marker = page1.NextMarker });
        Assert.True(page1.Truncated);
        Assert.False(page2.Truncated);
        Assert.Equal(["alias/app/db-key_1", "alias/second"], page1.Aliases.Concat(page2.Aliases).Select(x => x.AliasName));

        await Kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/second" });
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/second" }));
        await Assert.ThrowsAsync<NotFoundException>(() => Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/second" }));
        Assert.Equal(KeyState.Enabled, (await Kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = a.KeyId })).KeyMetadata.KeyState);
    }

    // ------------------------------------------------------------ lifecycle

    [Fact]
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

    [Fact]
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

    [Fact]
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

    [Fact]
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

    // ------------------------------------------------------------ Encrypt / Decrypt / ReEncrypt

    [Fact]
    public async Task Encrypt_enforces_the_4096_byte_limit()
    {
        KeyMetadata key = await NewKey();
        byte[] max = TestData.RandomBytes(4096);
        Assert.Equal(max, await Decrypt(await Encrypt(key.KeyId, max)));

        var tooBig = await Assert.ThrowsAsync<ValidationException>(() => Encrypt(key.KeyId, new byte[4097]));
        Assert.Equal("Plaintext", tooBig.MemberName);
        Assert.Contains("between 1 and 4096", tooBig.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => Encrypt(key.KeyId, []));
    }

    [Fact]
    public async Task Encrypt_responses_name_the_key_by_ARN_and_blobs_name_their_key()
    {
        KeyMetadata key = await NewKey();
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/named", TargetKeyId = key.KeyId });
        EncryptResponse encrypted = await Kms.EncryptAsync(new EncryptRequest { KeyId = "alias/named", Plaintext = new byte[] { 1, 2 } });
        Assert.Equal(key.Arn, encrypted.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, encrypted.EncryptionAlgorithm);

        DecryptResponse decrypted = await Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob });
        Assert.Equal(key.Arn, decrypted.KeyId);
        Assert.Equal(new byte[] { 1, 2 }, decrypted.Plaintext.ToArray());
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, decrypted.EncryptionAlgorithm);
    }

    [Fact]
    public async Task Encryption_context_must_match_exactly_but_not_in_order()
    {
        KeyMetadata key = await NewKey();
        var context = TestData.Context(("tenant", "a"), ("purpose", "test"));
        byte[] blob = await Encrypt(key.KeyId, [5], context);

        Assert.Equal([5], await Decrypt(blob, TestData.Context(("purpose", "test"), ("tenant", "a"))));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob, TestData.Context(("tenant", "b"), ("purpose", "test"))));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob, TestData.Context(("tenant", "a"))));
        var wrong = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(blob, TestData.Context(("tenant", "a"), ("purpose", "test"), ("extra", ""))));
        Assert.Equal("InvalidCiphertextException", wrong.ErrorCode);
    }

    [Fact]
    public async Task Decrypt_with_another_KeyId_is_IncorrectKeyException()
    {
        KeyMetadata a = await NewKey();
        KeyMetadata b = await NewKey();
        byte[] blob = await Encrypt(a.KeyId, [1]);

        await Assert.ThrowsAsync<IncorrectKeyException>(() => Decrypt(blob, keyId: b.KeyId));
        await Assert.ThrowsAsync<IncorrectKeyException>(() => Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, SourceKeyId = b.Arn, DestinationKeyId = b.KeyId }));
        await Assert.ThrowsAsync<NotFoundException>(() => Decrypt(blob, keyId: Guid.NewGuid().ToString("D")));
        Assert.Equal([1], await Decrypt(blob, keyId: a.Arn));
    }

    [Fact]
    public async Task Malformed_blobs_of_any_shape_are_InvalidCiphertextException()
    {
        KeyMetadata key = await NewKey();
        byte[] good = await Encrypt(key.KeyId, [1, 2, 3]);
        var candidates = new List<byte[]>
        {
            new byte[] { 0 },
            new byte[] { 1 },
            new byte[] { 1, 36 },
            good[..^1],
            good[..40],
            good.Append((byte)0).ToArray(),
            new byte[6144],
            Enumerable.Repeat((byte)0xff, 100).ToArray(),
        };
        byte[] badVersion = (byte[])good.Clone();
        badVersion[0] = 2;
        candidates.Add(badVersion);
        byte[] hugeKeyIdLength = (byte[])good.Clone();
        hugeKeyIdLength[1] = 255;
        candidates.Add(hugeKeyIdLength);
        byte[] zeroMaterial = (byte[])good.Clone();
        zeroMaterial[2 + 36 + 3] = 0;
        candidates.Add(zeroMaterial);
        byte[] futureMaterial = (byte[])good.Clone();
        futureMaterial[2 + 36 + 3] = 9;
        candidates.Add(futureMaterial);

        foreach (byte[] candidate in candidates)
        {
            var ex = await Assert.ThrowsAsync<InvalidCiphertextException>(() => Decrypt(candidate));
            Assert.Equal(InvalidCiphertextException.StandardMessage, ex.Message);
        }

        await Assert.ThrowsAsync<ValidationException>(() => Decrypt([]));
        await Assert.ThrowsAsync<ValidationException>(() => Decrypt(new byte[6145]));
    }

    [Fact]
    public async Task ReEncrypt_moves_a_ciphertext_to_another_key_and_context()
    {
        KeyMetadata source = await NewKey();
        KeyMetadata destination = await NewKey();
        byte[] secret = Encoding.UTF8.GetBytes("database password");
        byte[] blob = await Encrypt(source.KeyId, secret, TestData.Context(("v", "1")));

        ReEncryptResponse moved = await Kms.ReEncryptAsync(new ReEncryptRequest
        {
            CiphertextBlob = blob,
            SourceEncryptionContext = TestData.Context(("v", "1")),
            DestinationKeyId = destination.KeyId,
            DestinationEncryptionContext = TestData.Context(("v", "2")),
        });

        Assert.Equal(source.Arn, moved.SourceKeyId);
        Assert.Equal(destination.Arn, moved.KeyId);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, moved.SourceEncryptionAlgorithm);
        Assert.Equal(EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT, moved.DestinationEncryptionAlgorithm);
        Assert.Equal(secret, await Decrypt(moved.CiphertextBlob.ToArray(), TestData.Context(("v", "2")), destination.KeyId));
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => Kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId }));
    }

    [Fact]
    public async Task DryRun_validates_and_stops_with_DryRunOperationException()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, DryRun = true }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = Array.Empty<byte>(), DryRun = true }));
        byte[] blob = await Encrypt(key.KeyId, [1]);
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, DryRun = true }));
        await Assert.ThrowsAsync<DryRunOperationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 8, DryRun = true }));
    }

    [Fact]
    public async Task Asymmetric_algorithms_on_a_symmetric_key_are_InvalidKeyUsageException()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256 }));
        byte[] blob = await Encrypt(key.KeyId, [1]);
        await Assert.ThrowsAsync<InvalidKeyUsageException>(() => Kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionAlgorithm = EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 }));
    }

    [Fact]
    public async Task Grant_tokens_are_limited_to_ten()
    {
        KeyMetadata key = await NewKey();
        var tooMany = await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, GrantTokens = Enumerable.Repeat("t", 11).ToArray() }));
        Assert.Equal("GrantTokens", tooMany.MemberName);
    }

    // ------------------------------------------------------------ data keys and random

    [Fact]
    public async Task GenerateDataKey_returns_a_key_and_its_encrypted_copy()
    {
        KeyMetadata key = await NewKey();
        var context = TestData.Context(("file", "report.pdf"));
        foreach ((GenerateDataKeyRequest request, int length) in new[]
        {
            (new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = context }, 32),
            (new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_128, EncryptionContext = context }, 16),
            (new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 1, EncryptionContext = context }, 1),
            (new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 1024, EncryptionContext = context }, 1024),
        })
        {
            GenerateDataKeyResponse dataKey = await Kms.GenerateDataKeyAsync(request);
            Assert.Equal(length, dataKey.Plaintext.Length);
            Assert.Equal(key.Arn, dataKey.KeyId);
            Assert.Equal(dataKey.Plaintext.ToArray(), await Decrypt(dataKey.CiphertextBlob.ToArray(), context));
        }

        GenerateDataKeyWithoutPlaintextResponse sealedOnly = await Kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
        Assert.Equal(key.Arn, sealedOnly.KeyId);
        Assert.Equal(32, (await Decrypt(sealedOnly.CiphertextBlob.ToArray())).Length);
    }

    [Fact]
    public async Task GenerateDataKey_needs_exactly_one_of_KeySpec_and_NumberOfBytes()
    {
        KeyMetadata key = await NewKey();
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256, NumberOfBytes = 32 }));
        var range = await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, NumberOfBytes = 1025 }));
        Assert.Equal("NumberOfBytes", range.MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateDataKeyWithoutPlaintextAsync(new GenerateDataKeyWithoutPlaintextRequest { KeyId = key.KeyId, NumberOfBytes = 0 }));
    }

    [Fact]
    public async Task GenerateRandom_returns_1_to_1024_fresh_bytes()
    {
        GenerateRandomResponse a = await Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1024 });
        GenerateRandomResponse b = await Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1024 });
        Assert.Equal(1024, a.Plaintext.Length);
        Assert.NotEqual(a.Plaintext.ToArray(), b.Plaintext.ToArray());
        Assert.Single((await Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1 })).Plaintext.ToArray());
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 0 }));
        await Assert.ThrowsAsync<ValidationException>(() => Kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 1025 }));
    }

    // ------------------------------------------------------------ rotation

    [Fact]
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

    [Fact]
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

    [Fact]
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

    [Fact]
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

    [Fact]
    public async Task RotateKeyOnDemand_rotates_at_most_25_times_and_keeps_the_schedule()
    {
        KeyMetadata key = await NewKey();
        await Kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });
        byte[] original = await Encrypt(key.KeyId, [1]);
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

    // ------------------------------------------------------------ AWS managed keys

    [Fact]
    public async Task AWS_managed_keys_are_created_on_first_use_and_refuse_customer_management()
    {
        string arn = Kms.GetOrCreateAwsManagedKey("ssm");
        Assert.Equal(arn, Kms.GetOrCreateAwsManagedKey("ssm"));

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

    // ------------------------------------------------------------ API hygiene

    [Fact]
    public async Task A_cancelled_token_cancels_before_any_work()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Kms.CreateKeyAsync(new CreateKeyRequest(), cts.Token));
        Assert.Empty((await Kms.ListKeysAsync(new ListKeysRequest())).Keys);
    }

    [Fact]
    public async Task Null_requests_throw_ArgumentNullException_naming_the_request()
    {
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(() => Kms.EncryptAsync(null!));
        Assert.Equal("request", ex.ParamName);
        var missing = await Assert.ThrowsAsync<ValidationException>(() => Kms.EncryptAsync(new EncryptRequest { KeyId = null!, Plaintext = new byte[] { 1 } }));
        Assert.Equal("KeyId", missing.MemberName);
    }

    [Fact]
    public async Task Concurrent_encrypts_and_rotations_never_lose_a_ciphertext()
    {
        KeyMetadata key = await NewKey();
        var blobs = new System.Collections.Concurrent.ConcurrentBag<(byte[] Blob, int Value)>();
        Task writers = Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                int value = (t * 1000) + i;
                blobs.Add((await Encrypt(key.KeyId, BitConverter.GetBytes(value)), value));
            }
        })));
        Task rotator = Task.Run(async () =>
        {
            for (int i = 0; i < 10; i++)
            {
                await Kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            }
        });
        await Task.WhenAll(writers, rotator);

        Assert.Equal(200, blobs.Count);
        foreach ((byte[] blob, int value) in blobs)
        {
            Assert.Equal(value, BitConverter.ToInt32(await Decrypt(blob)));
        }
    }
}
