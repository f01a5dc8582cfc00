using Vaultlib.Keys;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the contract of KMS <c>CreateAlias</c>.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
    public async Task Aliases_follow_aws_rules()
    {
        KeyMetadata a = await NewKey();
        KeyMetadata b = await NewKey();
        await Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/app/db-key_1", TargetKeyId = a.Arn });

        var exists = await Assert.ThrowsAsync<AlreadyExistsException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/app/db-key_1", TargetKeyId = b.KeyId }));
        Assert.Contains("arn:aws:kms:us-east-1:111122223333:alias/app/db-key_1", exists.Message, StringComparison.Ordinal);
        foreach (string bad in new[] { "app", "alias/", "alias/has space", "alias/é", "alias/a:b", "alias/x\n", "xalias/x" })
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
        KeyMetadata doomed = await NewKey();
        await Kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });
        await Assert.ThrowsAsync<KMSInvalidStateException>(() => Kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/doomed", TargetKeyId = doomed.KeyId }));

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
}
