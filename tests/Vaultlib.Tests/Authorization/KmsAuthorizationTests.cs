using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Authorization;

public sealed class KmsAuthorizationTests : IDisposable
{
    private const string Root = "arn:aws:iam::111122223333:root";
    private const string App = "arn:aws:iam::111122223333:role/app";
    private const string Other = "arn:aws:iam::111122223333:role/other";
    private const string Foreign = "arn:aws:iam::444455556666:role/partner";
    private readonly InMemoryAuditSink _audit = new();
    private readonly InMemoryKeyService _kms;

    public KmsAuthorizationTests() => _kms = new InMemoryKeyService(auditSink: _audit);

    public void Dispose() => _kms.Dispose();

    private static IDisposable As(string principal, string? via = null, bool tls = true, string? ip = null) =>
        VaultlibCaller.Use(new CallerIdentity { Principal = principal, ViaService = via, SecureTransport = tls, SourceIp = ip });

    private static string Policy(string statements) => $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""";

    private const string RootStatement = """{"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}""";

    private async Task<KeyMetadata> Key(string? policy = null) =>
        (await _kms.CreateKeyAsync(new CreateKeyRequest { Policy = policy })).KeyMetadata;

    private Task<EncryptResponse> Encrypt(string keyId, Dictionary<string, string>? context = null) =>
        _kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 1 }, EncryptionContext = context });

    [Fact]
    public async Task The_default_key_policy_delegates_to_identity_policies_and_the_root_always_passes()
    {
        KeyMetadata key = await Key();
        await Encrypt(key.KeyId); // as the account root

        using (As(App))
        {
            var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
            // The key policy delegates to the account; the role's identity policy is what is missing.
            Assert.Equal($"User: {App} is not authorized to perform: kms:Encrypt on resource: {key.Arn} because no identity-based policy allows the kms:Encrypt action", denied.Message);
        }

        _kms.IdentityPolicies.Set(App, Policy("""{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}"""));
        using (As(App))
        {
            await Encrypt(key.KeyId);
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        }

        _kms.IdentityPolicies.Set(App, Policy("""{"Effect":"Allow","Action":"kms:*","Resource":"*"},{"Effect":"Deny","Action":"kms:Encrypt","Resource":"*"}"""));
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId)); // an explicit deny wins
        }

        Assert.Contains(_audit.Events, e => e.ErrorCode == "AccessDeniedException" && e.UserIdentity.Arn == App && e.EventName == "Encrypt");
    }

    [Fact]
    public async Task A_key_policy_that_names_the_caller_allows_without_an_identity_policy()
    {
        KeyMetadata key = await Key(Policy($$"""{{RootStatement}},{"Sid":"App","Effect":"Allow","Principal":{"AWS":"{{App}}"},"Action":"kms:Encrypt","Resource":"*"}"""));
        using (As(App))
        {
            await Encrypt(key.KeyId);
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));
        }

        using (As(Other))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
        }
    }

    [Fact]
    public async Task Cross_account_callers_need_both_the_key_policy_and_their_own_identity_policy()
    {
        KeyMetadata key = await Key(Policy($$"""{{RootStatement}},{"Sid":"Partner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"kms:Encrypt","Resource":"*"}"""));
        using (As(Foreign))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.Arn));
        }

        _kms.IdentityPolicies.Set(Foreign, Policy($$"""{"Effect":"Allow","Action":"kms:Encrypt","Resource":"{{key.Arn}}"}"""));
        using (As(Foreign))
        {
            await Encrypt(key.Arn);
        }

        KeyMetadata unshared = await Key();
        _kms.IdentityPolicies.Set(Foreign, Policy("""{"Effect":"Allow","Action":"kms:*","Resource":"*"}"""));
        using (As(Foreign))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(unshared.Arn)); // its key policy does not name the partner
        }
    }

    [Fact]
    public async Task Condition_keys_of_the_request_are_honoured()
    {
        KeyMetadata key = await Key(Policy($$$$"""
            {{{{RootStatement}}}},
            {"Sid":"TenantOnly","Effect":"Deny","Principal":"*","Action":"kms:Encrypt","Resource":"*","Condition":{"StringNotEquals":{"kms:EncryptionContext:tenant":"acme"}}},
            {"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"kms:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
            {"Sid":"OfficeOnly","Effect":"Deny","Principal":"*","Action":"kms:Decrypt","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"},"Null":{"aws:SourceIp":"false"}}}
            """));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId, new() { ["tenant"] = "other" }));
        EncryptResponse encrypted = await Encrypt(key.KeyId, new() { ["tenant"] = "acme" });
        using (As(Root, tls: false))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId, new() { ["tenant"] = "acme" }));
        }

        using (As(Root, ip: "198.51.100.1"))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "acme" } }));
        }

        using (As(Root, ip: "203.0.113.9"))
        {
            await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, EncryptionContext = new Dictionary<string, string> { ["tenant"] = "acme" } });
        }
    }

    [Fact]
    public async Task RequestAlias_ViaService_and_key_attributes_are_condition_keys()
    {
        KeyMetadata key = await Key(Policy($$$$"""
            {"Sid":"Admin","Effect":"Allow","Principal":{"AWS":"{{{{Root}}}}"},"NotAction":"kms:Encrypt","Resource":"*"},
            {"Sid":"ThroughAliasFromSsm","Effect":"Allow","Principal":{"AWS":"{{{{Root}}}}"},"Action":"kms:Encrypt","Resource":"*",
             "Condition":{"StringEquals":{"kms:RequestAlias":"alias/app","kms:ViaService":"ssm.us-east-1.amazonaws.com","kms:KeySpec":"SYMMETRIC_DEFAULT","kms:CallerAccount":"111122223333"}}}
            """));
        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/app", TargetKeyId = key.KeyId });
        await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt("alias/app"));
        using (As(Root, via: "ssm.us-east-1.amazonaws.com"))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId)); // not through the alias
            await Encrypt("alias/app");
        }
    }

    [Fact]
    public async Task Key_policies_can_be_read_and_replaced_with_the_lockout_safety_check()
    {
        KeyMetadata key = await Key();
        GetKeyPolicyResponse current = await _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId });
        Assert.Equal("default", current.PolicyName);
        Assert.Contains(Root, current.Policy, StringComparison.Ordinal);
        Assert.Equal(["default"], (await _kms.ListKeyPoliciesAsync(new ListKeyPoliciesRequest { KeyId = key.KeyId })).PolicyNames);
        await Assert.ThrowsAsync<ValidationException>(() => _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId, PolicyName = "other" }));

        string lockout = Policy($$"""{"Effect":"Allow","Principal":{"AWS":"{{App}}"},"Action":"kms:Encrypt","Resource":"*"}""");
        var refused = await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = lockout }));
        Assert.Contains("will not allow you to update the key policy", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.CreateKeyAsync(new CreateKeyRequest { Policy = lockout }));
        await Assert.ThrowsAsync<MalformedPolicyDocumentException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = """{"Statement":[{"Effect":"Allow"}]}""" }));

        await _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = lockout, BypassPolicyLockoutSafetyCheck = true });
        await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.GetKeyPolicyAsync(new GetKeyPolicyRequest { KeyId = key.KeyId })); // the root is locked out now
        await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest { KeyId = key.KeyId, Policy = current.Policy }));
        using (As(App))
        {
            await Encrypt(key.KeyId); // the one thing the new policy allows
        }
    }

    [Fact]
    public async Task Account_level_operations_are_decided_by_identity_policies()
    {
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.CreateKeyAsync(new CreateKeyRequest()));
        }

        _kms.IdentityPolicies.Set(App, Policy("""{"Effect":"Allow","Action":["kms:CreateKey","kms:ListKeys"],"Resource":"*"}"""));
        using (As(App))
        {
            KeyMetadata created = (await _kms.CreateKeyAsync(new CreateKeyRequest())).KeyMetadata;
            Assert.Contains((await _kms.ListKeysAsync(new ListKeysRequest())).Keys, k => k.KeyId == created.KeyId);
        }

        using (As(Foreign))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.ListKeysAsync(new ListKeysRequest())); // not this account's principal
        }
    }
}

public sealed class KmsExplicitCallerTests
{
    [Fact]
    public async Task AsCaller_binds_every_call_to_one_principal_as_a_client_with_credentials_would()
    {
        var audit = new InMemoryAuditSink();
        using var kms = new InMemoryKeyService(auditSink: audit);
        kms.IdentityPolicies.Set("arn:aws:iam::111122223333:role/app", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}}""");
        KeyMetadata key = await kms.CreateKeyAsync();
        KeyService app = kms.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app" });

        await app.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { 1 } });
        await Assert.ThrowsAsync<AccessDeniedException>(() => app.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }));
        await kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId }); // the unbound service is still the root

        Assert.Equal(
            ["arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:role/app", "arn:aws:iam::111122223333:root"],
            audit.Events.Select(e => e.UserIdentity.Arn));
        Assert.Null(VaultlibCaller.Current);
    }
}
