using Vaultlib.Authorization;
using Vaultlib.Secrets;

namespace Vaultlib.Tests.Secrets;

/// <summary>Contract tests: the contract of Secrets Manager <c>PutResourcePolicy</c>, <c>GetResourcePolicy</c>, <c>DeleteResourcePolicy</c> and <c>ValidateResourcePolicy</c>, and how the policy decides access.</summary>
public abstract partial class SecretStoreContractTests
{
    private const string Partner = "arn:aws:iam::444455556666:user/partner";
    private const string Colleague = "arn:aws:iam::111122223333:user/colleague";

    [SkippableFact]
    public async Task A_resource_policy_allows_and_denies_as_IAM_evaluates_it()
    {
        CreateSecretResponse secret = await Create("shared/db", "v");
        SecretStore asColleague = Sm.AsCaller(new CallerIdentity { Principal = Colleague });
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asColleague.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "shared/db" }));

        // Within the account, a statement naming the caller allows on its own (the AWS managed key lets the account decrypt through the service).
        string policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["{{Colleague}}","{{Partner}}"]},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        await Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "shared/db", ResourcePolicy = policy, BlockPublicPolicy = true });
        Assert.Equal(policy, (await Sm.GetResourcePolicyAsync(new GetResourcePolicyRequest { SecretId = "shared/db" })).ResourcePolicy);
        Assert.Equal("v", (await asColleague.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "shared/db" })).SecretString);
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asColleague.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "shared/db", SecretString = "x" }));

        // Across accounts both sides must allow, and the AWS managed key refuses other accounts, as AWS's does.
        SecretStore asPartner = Sm.AsCaller(new CallerIdentity { Principal = Partner });
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asPartner.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }));
        Host.IdentityPolicies.Set(Partner, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"*"}]}""");
        var kms = await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => asPartner.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.ARN }));
        Assert.Contains("KMS", kms.Message, StringComparison.Ordinal);

        // An explicit Deny in the resource policy refuses even the account root.
        await Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "shared/db", ResourcePolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:DeleteSecret","Resource":"*"}]}""" });
        await Assert.ThrowsAsync<Vaultlib.Secrets.AccessDeniedException>(() => Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "shared/db" }));
        Assert.Equal("v", (await Get("shared/db")).SecretString);
        await Sm.DeleteResourcePolicyAsync(new DeleteResourcePolicyRequest { SecretId = "shared/db" });
        Assert.Null((await Sm.GetResourcePolicyAsync(new GetResourcePolicyRequest { SecretId = "shared/db" })).ResourcePolicy);
        await Sm.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "shared/db" });
    }

    [SkippableFact]
    public async Task BlockPublicPolicy_refuses_broad_access_and_ValidateResourcePolicy_reports_it()
    {
        await Create("pub");
        const string Public = """{"Version":"2012-10-17","Statement":[{"Sid":"everyone","Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        const string Narrowed = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"secretsmanager:GetSecretValue","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]}""";
        Assert.Equal("PublicPolicyException", (await Assert.ThrowsAsync<PublicPolicyException>(() => Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "pub", ResourcePolicy = Public, BlockPublicPolicy = true }))).ErrorCode);
        Assert.Null((await Sm.GetResourcePolicyAsync(new GetResourcePolicyRequest { SecretId = "pub" })).ResourcePolicy);
        await Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "pub", ResourcePolicy = Narrowed, BlockPublicPolicy = true });
        await Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "pub", ResourcePolicy = Public }); // not blocked by default, as in AWS

        ValidateResourcePolicyResponse verdict = await Sm.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { ResourcePolicy = Public });
        Assert.False(verdict.PolicyValidationPassed);
        Assert.Contains("everyone", Assert.Single(verdict.ValidationErrors).ErrorMessage, StringComparison.Ordinal);
        Assert.True((await Sm.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { SecretId = "pub", ResourcePolicy = Narrowed })).PolicyValidationPassed);
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => Sm.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { ResourcePolicy = "{not json" }));
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "pub", ResourcePolicy = """{"Statement":[{"Effect":"Maybe"}]}""" }));
        await Assert.ThrowsAsync<ValidationException>(() => Sm.PutResourcePolicyAsync(new PutResourcePolicyRequest { SecretId = "pub", ResourcePolicy = new string(' ', 20_481) }));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => Sm.ValidateResourcePolicyAsync(new ValidateResourcePolicyRequest { SecretId = "missing", ResourcePolicy = Narrowed }));
    }
}
