using Vaultlib.Authorization;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>BatchGetSecretValue</c>.</summary>
public abstract partial class SecretStoreContractTests
{
    [SkippableFact]
    public async Task BatchGetSecretValue_returns_what_it_can_and_says_why_for_the_rest()
    {
        await Create("batch/a", "va");
        await Create("batch/b", "vb");
        await Create("locked", "vl");
        await Create("gone", "vg");
        await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "gone" });

        var reader = new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/batch" };
        Host.IdentityPolicies.Set(reader.Principal, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:BatchGetSecretValue","kms:Decrypt"],"Resource":"*"},{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":["arn:aws:secretsmanager:us-east-1:111122223333:secret:batch/*","arn:aws:secretsmanager:us-east-1:111122223333:secret:gone-*"]}]}""");
        BatchGetSecretValueResponse batch = await Sm.AsCaller(reader).BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = ["batch/a", "batch/b", "locked", "gone", "missing"] });
        Assert.Equal(["va", "vb"], batch.SecretValues.Select(v => v.SecretString));
        Assert.Equal(
            [("locked", "AccessDeniedException"), ("gone", "InvalidRequestException"), ("missing", "ResourceNotFoundException")],
            batch.Errors.Select(e => (e.SecretId, e.ErrorCode)));

        BatchGetSecretValueResponse filtered = await Sm.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { Filters = [new Filter { Key = "name", Values = ["batch/"] }], MaxResults = 1 });
        Assert.Equal(["va"], filtered.SecretValues.Select(v => v.SecretString));
        Assert.Equal(["vb"], (await Sm.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { Filters = [new Filter { Key = "name", Values = ["batch/"] }], MaxResults = 1, NextToken = filtered.NextToken })).SecretValues.Select(v => v.SecretString));

        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.BatchGetSecretValueAsync(new BatchGetSecretValueRequest()));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = ["a"], Filters = [new Filter { Key = "name", Values = ["a"] }] }));
        await Assert.ThrowsAsync<InvalidParameterException>(() => Sm.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = ["a"], MaxResults = 5 }));
        await Assert.ThrowsAsync<ValidationException>(() => Sm.BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = [.. Enumerable.Range(0, 21).Select(i => $"s{i}")] }));
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => Sm.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:user/nobody" }).BatchGetSecretValueAsync(new BatchGetSecretValueRequest { SecretIdList = ["batch/a"] }));
    }
}
