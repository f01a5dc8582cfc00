using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Authorization;

/// <summary>Policy rules where Vaultlib was looser than AWS (issue 10), each pinned by a case.</summary>
public sealed class KmsPolicyFidelityTests : IDisposable
{
    private const string App = "arn:aws:iam::111122223333:role/app";
    private readonly InMemoryKeyService _kms = new();

    public void Dispose() => _kms.Dispose();

    private static IDisposable As(string principal) => VaultlibCaller.Use(new CallerIdentity { Principal = principal });

    private static string KeyPolicy(string appStatement) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{{appStatement}}]}""";

    [Fact]
    public async Task A_key_policy_statement_with_no_Resource_has_no_effect()
    {
        KeyMetadata key = (await _kms.CreateKeyAsync(new CreateKeyRequest { Policy = KeyPolicy($$"""{"Effect":"Allow","Principal":{"AWS":"{{App}}"},"Action":"kms:Encrypt"}""") })).KeyMetadata;
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }));
        }

        await _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = KeyPolicy($$"""{"Effect":"Allow","Principal":{"AWS":"{{App}}"},"Action":"kms:Encrypt","Resource":"*"}""") });
        using (As(App))
        {
            await _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } });
        }
    }

    [Fact]
    public void NotResource_still_matches_what_it_does_not_name_and_no_resource_matches_nothing()
    {
        PolicyDocument policy = PolicyDocument.Parse("""{"Statement":[{"Effect":"Allow","Action":"kms:Encrypt","NotResource":"arn:aws:kms:us-east-1:111122223333:key/secret"}]}""");
        PolicyDocument none = PolicyDocument.Parse("""{"Statement":[{"Effect":"Allow","Action":"kms:Encrypt"}]}""");
        PolicyRequest Request(string key) => new() { Principal = App, Action = "kms:Encrypt", Resource = $"arn:aws:kms:us-east-1:111122223333:key/{key}", Context = new Dictionary<string, IReadOnlyList<string>>() };

        Assert.True(PolicyEvaluator.Evaluate([policy], Request("other")).IsAllowed);
        Assert.False(PolicyEvaluator.Evaluate([policy], Request("secret")).IsAllowed);
        Assert.Equal(PolicyDecisionType.ImplicitDeny, PolicyEvaluator.Evaluate([none], Request("other")).Decision);
    }

    [Fact]
    public async Task Grant_constraints_are_ignored_for_DescribeKey_and_RetireGrant_as_AWS_documents()
    {
        KeyMetadata key = await _kms.CreateKeyAsync("constrained");
        CreateGrantResponse grant = await _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId,
            GranteePrincipal = App,
            Operations = [GrantOperation.DescribeKey, GrantOperation.Encrypt, GrantOperation.RetireGrant],
            Constraints = new GrantConstraints { EncryptionContextEquals = new Dictionary<string, string> { ["tenant"] = "a" } },
        });

        using (As(App))
        {
            await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }); // no context, constraint ignored
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } })); // constraint applies
            await _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 }, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "a" } });
            await _kms.RetireGrantAsync(new RetireGrantRequest { KeyId = key.KeyId, GrantId = grant.GrantId }); // constraint ignored
        }

        Assert.Empty((await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
    }

    [Fact]
    public async Task ResourceAliases_come_from_the_key_s_aliases()
    {
        KeyMetadata key = (await _kms.CreateKeyAsync(new CreateKeyRequest
        {
            Policy = KeyPolicy("""{"Effect":"Allow","Principal":{"AWS":"APP"},"Action":"kms:Encrypt","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"kms:ResourceAliases":"alias/payments"}}}""".Replace("APP", App, StringComparison.Ordinal)),
        })).KeyMetadata;
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }));
        }

        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/payments", TargetKeyId = key.KeyId });
        using (As(App))
        {
            await _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }); // by key id: the alias still counts
        }
    }

    [Fact]
    public async Task BypassPolicyLockoutSafetyCheck_comes_from_the_request()
    {
        const string Admin = "arn:aws:iam::111122223333:role/admin";
        _kms.IdentityPolicies.Set(Admin, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Action":["kms:CreateKey","kms:PutKeyPolicy"],"Resource":"*","Condition":{"Bool":{"kms:BypassPolicyLockoutSafetyCheck":"true"}}}]}""");
        using (As(Admin))
        {
            KeyMetadata key = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
            string policy = (await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })).Policy;
            await _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = policy });
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = policy, BypassPolicyLockoutSafetyCheck = true }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.CreateKeyAsync(new CreateKeyRequest { Policy = policy, BypassPolicyLockoutSafetyCheck = true }));
        }
    }

    [Fact]
    public async Task A_role_ARN_covers_its_sessions_in_key_policies_and_identity_policies()
    {
        const string Session = "arn:aws:sts::111122223333:assumed-role/app/build-42";
        const string Reader = "arn:aws:iam::111122223333:role/team/reader";
        const string ReaderSession = "arn:aws:sts::111122223333:assumed-role/reader/alice";
        KeyMetadata key = (await _kms.CreateKeyAsync(new CreateKeyRequest { Policy = KeyPolicy($$"""{"Effect":"Allow","Principal":{"AWS":"{{App}}"},"Action":"kms:Encrypt","Resource":"*"}""") })).KeyMetadata;
        _kms.IdentityPolicies.Set(Reader, """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/team/reader"}}}}""");

        using (As(Session))
        {
            await _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }); // the key policy names the role
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        }

        using (As(ReaderSession))
        {
            // The role's identity policy applies to its session, and aws:PrincipalArn is the role's ARN (with its path).
            await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId });
        }

        using (As("arn:aws:sts::111122223333:assumed-role/other/x"))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } }));
        }
    }

    [Fact]
    public async Task Across_accounts_only_the_operations_AWS_allows_across_accounts_are_allowed_even_when_both_sides_allow_everything()
    {
        const string Partner = "arn:aws:iam::444455556666:role/partner";
        KeyMetadata key = (await _kms.CreateKeyAsync(new CreateKeyRequest { Policy = KeyPolicy("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:*","Resource":"*"}""") })).KeyMetadata;
        _kms.IdentityPolicies.Set(Partner, """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*"}}""");

        using (As(Partner))
        {
            ReadOnlyMemory<byte> blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key.Arn, Plaintext = new byte[] { 1 } })).CiphertextBlob;
            await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
            await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.Arn });
            await _kms.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.Arn });
            CreateGrantResponse grant = await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.Arn, GranteePrincipal = Partner, Operations = [GrantOperation.Decrypt] });
            await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.Arn });
            await _kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.Arn, GrantId = grant.GrantId });

            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.Arn }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.Arn }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.Arn }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.TagResourceAsync(new TagResourceRequest { KeyId = key.Arn, Tags = [new Tag { TagKey = "a", TagValue = "b" }] }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.Arn }));
        }
    }

    [Fact]
    public async Task Tag_conditions_read_the_request_s_tags_and_the_key_s_tags()
    {
        const string Tagger = "arn:aws:iam::111122223333:role/tagger";
        _kms.IdentityPolicies.Set(Tagger, """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["kms:TagResource","kms:UntagResource"],"Resource":"*",
               "Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["env"]}}},
              {"Effect":"Deny","Action":"kms:TagResource","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/env":"prod"}}},
              {"Effect":"Allow","Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"payments"}}},
              {"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}
            """);
        KeyMetadata key = (await _kms.CreateKeyAsync(new CreateKeyRequest { Tags = [new Tag { TagKey = "team", TagValue = "payments" }] })).KeyMetadata;
        KeyMetadata other = await _kms.CreateKeyAsync("untagged");
        ReadOnlyMemory<byte> blob = (await _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } })).CiphertextBlob;

        using (As(Tagger))
        {
            await _kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "env", TagValue = "dev" }] });
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "env", TagValue = "prod" }] }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "owner", TagValue = "x" }] }));
            await _kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["env"] });
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.UntagResourceAsync(new UntagResourceRequest { KeyId = key.KeyId, TagKeys = ["team"] }));
            await _kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } });
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.EncryptAsync(new EncryptRequest { KeyId = other.KeyId, Plaintext = new byte[] { 1 } }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        }

        await _kms.AsCaller(new CallerIdentity { Principal = Tagger, SourceVpce = "vpce-1a2b3c4d" }).DecryptAsync(new DecryptRequest { CiphertextBlob = blob });
    }
}
