using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Authorization;

public sealed class KmsGrantTests : IDisposable
{
    private const string App = "arn:aws:iam::111122223333:role/app";
    private const string Retirer = "arn:aws:iam::111122223333:role/retirer";
    private readonly InMemoryAuditSink _audit = new();
    private readonly InMemoryKeyService _kms;

    public KmsGrantTests() => _kms = new InMemoryKeyService(auditSink: _audit);

    public void Dispose() => _kms.Dispose();

    private static IDisposable As(string principal) => VaultlibCaller.Use(new CallerIdentity { Principal = principal });

    private Task<EncryptResponse> Encrypt(string keyId, Dictionary<string, string>? context = null) =>
        _kms.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = new byte[] { 1 }, EncryptionContext = context });

    [Fact]
    public async Task A_grant_really_authorizes_its_operations_for_its_grantee_at_once()
    {
        KeyMetadata key = await _kms.CreateKeyAsync("granted");
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
        }

        CreateGrantResponse grant = await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = App, Operations = [GrantOperation.Encrypt, GrantOperation.Decrypt], Name = "app-access" });
        Assert.Matches("^[0-9a-f]{64}$", grant.GrantId);
        using (As(App))
        {
            EncryptResponse encrypted = await Encrypt(key.KeyId);
            await _kms.DecryptAsync(new DecryptRequest { CiphertextBlob = encrypted.CiphertextBlob, GrantTokens = [grant.GrantToken] });
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })); // not granted
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 }));
        }

        // Idempotent by name: the same request returns the same grant.
        CreateGrantResponse again = await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = App, Operations = [GrantOperation.Encrypt, GrantOperation.Decrypt], Name = "app-access" });
        Assert.Equal(grant.GrantId, again.GrantId);
        GrantListEntry listed = Assert.Single((await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);
        Assert.Equal([GrantOperation.Encrypt, GrantOperation.Decrypt], listed.Operations);
        Assert.Equal("arn:aws:iam::111122223333:root", listed.IssuingAccount);

        await _kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = grant.GrantId });
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
        }

        await Assert.ThrowsAsync<InvalidGrantIdException>(() => _kms.RevokeGrantAsync(new RevokeGrantRequest { KeyId = key.KeyId, GrantId = grant.GrantId }));
        Assert.All(_audit.Events.Where(e => e.EventName == "CreateGrant"), e => Assert.Equal(AuditEvent.Hidden, e.ResponseElements!["grantToken"]!.GetValue<string>()));
        Assert.All(_audit.Events, e => Assert.DoesNotContain(grant.GrantToken, e.ToJson(), StringComparison.Ordinal)); // grant tokens are bearer material
    }

    [Fact]
    public async Task Grant_constraints_really_restrict_the_encryption_context()
    {
        KeyMetadata key = await _kms.CreateKeyAsync();
        await _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId, GranteePrincipal = App, Operations = [GrantOperation.Encrypt],
            Constraints = new GrantConstraints { EncryptionContextSubset = new Dictionary<string, string> { ["tenant"] = "acme" } },
        });
        KeyMetadata other = await _kms.CreateKeyAsync();
        await _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = other.KeyId, GranteePrincipal = App, Operations = [GrantOperation.Encrypt],
            Constraints = new GrantConstraints { EncryptionContextEquals = new Dictionary<string, string> { ["tenant"] = "acme" } },
        });
        using (As(App))
        {
            await Encrypt(key.KeyId, new() { ["tenant"] = "acme", ["extra"] = "ok" });
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId, new() { ["tenant"] = "other" }));
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
            await Encrypt(other.KeyId, new() { ["tenant"] = "acme" });
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(other.KeyId, new() { ["tenant"] = "acme", ["extra"] = "no" }));
        }

        await Assert.ThrowsAsync<ValidationException>(() => _kms.CreateGrantAsync(new CreateGrantRequest
        {
            KeyId = key.KeyId, GranteePrincipal = App, Operations = [GrantOperation.Encrypt],
            Constraints = new GrantConstraints { EncryptionContextEquals = new Dictionary<string, string>(), EncryptionContextSubset = new Dictionary<string, string>() },
        }));
        await Assert.ThrowsAsync<ValidationException>(() => _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = App, Operations = [] }));
    }

    [Fact]
    public async Task Grants_are_retired_by_their_retiring_principal_or_token_and_an_explicit_deny_still_wins()
    {
        KeyMetadata key = await _kms.CreateKeyAsync();
        CreateGrantResponse grant = await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = App, RetiringPrincipal = Retirer, Operations = [GrantOperation.Encrypt] });
        Assert.Single((await _kms.ListRetirableGrantsAsync(new ListRetirableGrantsRequest { RetiringPrincipal = Retirer })).Grants);
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken }));
        }

        await Assert.ThrowsAsync<InvalidGrantTokenException>(() => _kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = "not-a-token" }));
        using (As(Retirer))
        {
            await _kms.RetireGrantAsync(new RetireGrantRequest { GrantToken = grant.GrantToken });
        }

        Assert.Empty((await _kms.ListGrantsAsync(new ListGrantsRequest { KeyId = key.KeyId })).Grants);

        // A grant never overrides an explicit deny in the key policy.
        await _kms.PutKeyPolicyAsync(new PutKeyPolicyRequest
        {
            KeyId = key.KeyId,
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"kms:Encrypt","Resource":"*"}]}""",
        });
        await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = App, Operations = [GrantOperation.Encrypt] });
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => Encrypt(key.KeyId));
        }
    }

    [Fact]
    public async Task ReEncrypt_needs_ReEncryptFrom_on_the_source_and_ReEncryptTo_on_the_destination()
    {
        KeyMetadata source = await _kms.CreateKeyAsync();
        KeyMetadata destination = await _kms.CreateKeyAsync();
        byte[] blob = (await Encrypt(source.KeyId)).CiphertextBlob.ToArray();
        await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = source.KeyId, GranteePrincipal = App, Operations = [GrantOperation.ReEncryptFrom] });
        using (As(App))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId }));
        }

        await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = destination.KeyId, GranteePrincipal = App, Operations = [GrantOperation.ReEncryptTo] });
        using (As(App))
        {
            await _kms.ReEncryptAsync(new ReEncryptRequest { CiphertextBlob = blob, DestinationKeyId = destination.KeyId });
        }
    }
}
