using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

/// <summary>Contract tests: the KeyId forms every operation accepts, and the errors for the others.</summary>
public abstract partial class KeyServiceContractTests
{
    [SkippableFact]
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

    [SkippableFact]
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
}
