using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Audit;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Regions;

/// <summary>One host, several regions and accounts: each with its own keys, ARNs naming it, keys bound to it.</summary>
public sealed class VaultlibHostTests : IDisposable
{
    private readonly InMemoryAuditSink _audit = new();
    private readonly VaultlibHost _host;

    public VaultlibHostTests()
    {
        _host = new VaultlibHost(timeProvider: TestData.NewClock(), auditSink: _audit);
    }

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Each_region_has_its_own_keys_and_its_ARNs_name_it()
    {
        KeyService virginia = _host.GetKeyService("us-east-1");
        KeyService ireland = _host.GetKeyService("eu-west-1");
        Assert.Same(virginia, _host.Keys);
        Assert.Same(ireland, _host.GetKeyService("eu-west-1"));

        KeyMetadata east = await virginia.CreateKeyAsync("east");
        KeyMetadata west = await ireland.CreateKeyAsync("west");

        Assert.StartsWith("arn:aws:kms:us-east-1:111122223333:key/", east.Arn, StringComparison.Ordinal);
        Assert.StartsWith("arn:aws:kms:eu-west-1:111122223333:key/", west.Arn, StringComparison.Ordinal);
        Assert.Single((await virginia.ListKeysAsync(new ListKeysRequest())).Keys);
        Assert.Equal(west.KeyId, Assert.Single((await ireland.ListKeysAsync(new ListKeysRequest())).Keys).KeyId);
        await Assert.ThrowsAsync<NotFoundException>(() => ireland.DescribeKeyAsync(new DescribeKeyRequest { KeyId = east.KeyId }));
        await Assert.ThrowsAsync<NotFoundException>(() => ireland.DescribeKeyAsync(new DescribeKeyRequest { KeyId = east.Arn }));
        Assert.Equal(["eu-west-1", "us-east-1"], _audit.Query(eventName: "CreateKey").Select(e => e.AwsRegion).Order());
    }

    [Fact]
    public async Task A_ciphertext_made_in_one_region_does_not_decrypt_in_another()
    {
        KeyService virginia = _host.GetKeyService("us-east-1");
        KeyService ireland = _host.GetKeyService("eu-west-1");
        KeyMetadata east = await virginia.CreateKeyAsync("east");
        await ireland.CreateKeyAsync("west");
        ReadOnlyMemory<byte> blob = await virginia.EncryptAsync(east.KeyId, "region-bound"u8.ToArray());

        await Assert.ThrowsAsync<InvalidCiphertextException>(() => ireland.DecryptAsync(new DecryptRequest { CiphertextBlob = blob }));
        Assert.Equal("region-bound"u8.ToArray(), (await virginia.DecryptAsync(blob)).ToArray());
    }

    [Fact]
    public async Task Data_moves_between_regions_by_decrypting_in_the_source_and_re_encrypting_in_the_destination()
    {
        KeyService virginia = _host.GetKeyService("us-east-1");
        KeyService ireland = _host.GetKeyService("eu-west-1");
        KeyMetadata east = await virginia.CreateKeyAsync("east");
        KeyMetadata west = await ireland.CreateKeyAsync("west");
        var context = TestData.Context(("snapshot", "db-1"));
        ReadOnlyMemory<byte> sourceBlob = (await virginia.EncryptAsync(new EncryptRequest { KeyId = east.KeyId, Plaintext = "snapshot bytes"u8.ToArray(), EncryptionContext = context })).CiphertextBlob;

        DecryptResponse opened = await virginia.DecryptAsync(new DecryptRequest { CiphertextBlob = sourceBlob, EncryptionContext = context });
        EncryptResponse moved = await ireland.EncryptAsync(new EncryptRequest { KeyId = west.KeyId, Plaintext = opened.Plaintext, EncryptionContext = context });

        Assert.Equal(west.Arn, moved.KeyId);
        Assert.Equal("snapshot bytes"u8.ToArray(), (await ireland.DecryptAsync(new DecryptRequest { CiphertextBlob = moved.CiphertextBlob, EncryptionContext = context })).Plaintext.ToArray());
        await Assert.ThrowsAsync<InvalidCiphertextException>(() => virginia.DecryptAsync(new DecryptRequest { CiphertextBlob = moved.CiphertextBlob, EncryptionContext = context }));
    }

    [Fact]
    public async Task Accounts_are_separate_too_and_the_identity_policies_are_shared()
    {
        KeyService other = _host.GetKeyService("us-east-1", "444455556666");
        KeyMetadata key = await other.CreateKeyAsync("theirs");

        Assert.StartsWith("arn:aws:kms:us-east-1:444455556666:key/", key.Arn, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Keys.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));
        Assert.Same(_host.IdentityPolicies, other.IdentityPolicies);
        Assert.Equal([("111122223333", "us-east-1"), ("444455556666", "us-east-1")], _host.ActiveRegions.OrderBy(r => r.AccountId));
    }

    [Fact]
    public void A_malformed_region_or_account_is_refused()
    {
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _host.GetKeyService("mars"));
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => _host.GetKeyService("us-east-1", "12"));
    }

    [Fact]
    public async Task Regions_in_one_vault_keep_their_records_apart()
    {
        using var directory = new TempDirectory();
        using var rootKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        string path = directory.Combine("vault.db");
        string eastKey;
        using (var host = new VaultlibHost(Vault.OpenSqlite(path, rootKey), ownsVault: true))
        {
            eastKey = (await host.Keys.CreateKeyAsync("east")).KeyId;
            await host.GetKeyService("eu-west-1").CreateKeyAsync("west");
            Assert.Equal(["kms/eu-west-1/111122223333", "kms/us-east-1/111122223333"], (await host.Vault.Store.ListServicesAsync()).Where(s => s.StartsWith("kms/", StringComparison.Ordinal)));
        }

        using (var reopened = new VaultlibHost(Vault.OpenSqlite(path, rootKey), ownsVault: true))
        {
            Assert.Equal(eastKey, Assert.Single((await reopened.Keys.ListKeysAsync(new ListKeysRequest())).Keys).KeyId);
            Assert.Single((await reopened.GetKeyService("eu-west-1").ListKeysAsync(new ListKeysRequest())).Keys);
        }
    }

    [Fact]
    public async Task The_container_serves_the_default_region_as_IKeyService_and_the_host_for_the_others()
    {
        var services = new ServiceCollection();
        services.AddVaultlib(o => o.Region = "eu-west-1");
        await using ServiceProvider provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<VaultlibHost>();

        Assert.Same(host.Keys, provider.GetRequiredService<IKeyService>());
        Assert.Equal("eu-west-1", host.Keys.Options.Region);
        Assert.Equal("ap-south-1", host.GetKeyService("ap-south-1").Options.Region);
    }

    [Fact]
    public void After_Dispose_the_host_refuses_new_regions_and_its_services_are_disposed()
    {
        var host = new VaultlibHost();
        KeyService keys = host.Keys;
        host.Dispose();

        Assert.Throws<ObjectDisposedException>(() => host.GetKeyService("eu-west-1"));
        Assert.Throws<ObjectDisposedException>(() => { _ = keys.ListKeysAsync(new ListKeysRequest()); });
    }
}
