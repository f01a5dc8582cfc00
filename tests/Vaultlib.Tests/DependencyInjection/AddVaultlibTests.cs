using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.DependencyInjection;

public sealed class AddVaultlibTests
{
    [Fact]
    public async Task Registers_an_in_memory_key_service_by_default_using_the_containers_clock()
    {
        var clock = TestData.NewClock();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddVaultlib(o => o.Region = "ap-southeast-2");
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        IKeyService kms = provider.GetRequiredService<IKeyService>();

        Assert.IsType<VaultKeyService>(kms);
        Assert.IsType<InMemoryVaultStore>(provider.GetRequiredService<VaultlibHost>().Vault.Store);
        Assert.Same(kms, provider.GetRequiredService<IKeyService>());
        KeyMetadata key = await kms.CreateKeyAsync();
        Assert.Equal(TestData.Epoch, key.CreationDate);
        Assert.StartsWith("arn:aws:kms:ap-southeast-2:111122223333:key/", key.Arn, StringComparison.Ordinal);

        // Parameter Store of the same region, its SecureStrings encrypted by that KMS.
        Vaultlib.Parameters.IParameterStore ssm = provider.GetRequiredService<Vaultlib.Parameters.IParameterStore>();
        Assert.Same(provider.GetRequiredService<VaultlibHost>().Parameters, ssm);
        await ssm.PutParameterAsync(new Vaultlib.Parameters.PutParameterRequest { Name = "/di/secret", Value = "v", Type = Vaultlib.Parameters.ParameterType.SecureString });
        Assert.Equal("arn:aws:ssm:ap-southeast-2:111122223333:parameter/di/secret", (await ssm.GetParameterAsync(new Vaultlib.Parameters.GetParameterRequest { Name = "/di/secret" })).Parameter.ARN);
        Assert.Contains((await kms.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/aws/ssm");
    }

    [Fact]
    public async Task PersistToSqlite_gives_a_durable_service_that_survives_the_container()
    {
        using var temp = new TempDirectory();
        byte[] rootBytes = RandomNumberGenerator.GetBytes(32);
        string keyId;
        using (var rootKey = VaultRootKey.FromBytes(rootBytes))
        {
            var services = new ServiceCollection();
            services.AddVaultlib().PersistToSqlite(temp.Combine("vault.db"), rootKey);
            await using ServiceProvider provider = services.BuildServiceProvider();
            IKeyService kms = provider.GetRequiredService<IKeyService>();
            Assert.IsType<VaultKeyService>(kms);
            keyId = (await kms.CreateKeyAsync("persisted")).KeyId;
        }

        Assert.True(File.Exists(temp.Combine("vault.db")));
        using var again = VaultRootKey.FromBytes(rootBytes);
        var services2 = new ServiceCollection();
        services2.AddVaultlib().PersistToSqlite(temp.Combine("vault.db"), _ => again);
        await using ServiceProvider provider2 = services2.BuildServiceProvider();
        Assert.Equal("persisted", (await provider2.GetRequiredService<IKeyService>().DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.Description);
    }

    [Fact]
    public void Invalid_options_fail_when_the_service_is_first_resolved()
    {
        var services = new ServiceCollection();
        services.AddVaultlib(o => o.AccountId = "not-an-account");
        using ServiceProvider provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IKeyService>());
        Assert.Contains("AccountId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calling_AddVaultlib_twice_registers_once_and_keeps_both_configurations()
    {
        var services = new ServiceCollection();
        services.AddVaultlib(o => o.Region = "eu-west-1");
        int count = services.Count;
        services.AddVaultlib(o => o.AccountId = "123456789012");

        Assert.Single(services, d => d.ServiceType == typeof(IKeyService));
        Assert.Equal(count + 1, services.Count); // only the second Configure
        using ServiceProvider provider = services.BuildServiceProvider();
        VaultlibOptions options = provider.GetRequiredService<IOptions<VaultlibOptions>>().Value;
        Assert.Equal(("eu-west-1", "123456789012"), (options.Region, options.AccountId));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>("services", () => VaultlibServiceCollectionExtensions.AddVaultlib(null!));
        IVaultlibBuilder builder = new ServiceCollection().AddVaultlib();
        Assert.Throws<ArgumentException>("path", () => builder.PersistToSqlite("", _ => null!));
        Assert.Throws<ArgumentNullException>("rootKey", () => builder.PersistToSqlite("/tmp/x", (VaultRootKey)null!));
    }
}

public sealed class AddVaultlibEnvelopeTests
{
    [Fact]
    public async Task Envelope_encryption_with_a_KMS_keyring_and_a_cache_comes_from_the_container()
    {
        var services = new ServiceCollection();
        services.AddVaultlib()
            .AddEnvelopeEncryption(o => o.MaxEncryptedDataKeys = 3)
            .AddKmsKeyring("alias/files")
            .AddCachingMaterialsManager(new Vaultlib.Envelope.CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(1) });
        await using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        IKeyService kms = provider.GetRequiredService<IKeyService>();
        KeyMetadata key = await kms.CreateKeyAsync();
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/files", TargetKeyId = key.KeyId });

        var encryptor = provider.GetRequiredService<Vaultlib.Envelope.EnvelopeEncryptor>();
        var cmm = provider.GetRequiredService<Vaultlib.Envelope.ICryptoMaterialsManager>();
        Assert.IsType<Vaultlib.Envelope.CachingCryptoMaterialsManager>(cmm);
        Assert.Equal(3, encryptor.Options.MaxEncryptedDataKeys);
        byte[] plaintext = RandomNumberGenerator.GetBytes(6000);
        var sealedMessage = await encryptor.EncryptAsync(new Vaultlib.Envelope.EncryptInput { Plaintext = plaintext, MaterialsManager = cmm });
        var opened = await encryptor.DecryptAsync(new Vaultlib.Envelope.DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = cmm });
        Assert.Equal(plaintext, opened.Plaintext.ToArray());
        Assert.Equal(2, provider.GetRequiredService<Vaultlib.Envelope.LocalCryptoMaterialsCache>().Count); // one encrypt entry, one decrypt entry
    }
}

public sealed class AddVaultlibAuthorizationTests
{
    [Fact]
    public async Task Identity_policies_registered_with_the_builder_authorize_their_principal()
    {
        var services = new ServiceCollection();
        services.AddVaultlib()
            .AddIdentityPolicy("arn:aws:iam::111122223333:role/app", """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:GenerateRandom","Resource":"*"}}""");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IKeyService kms = provider.GetRequiredService<IKeyService>();
        using (Vaultlib.Authorization.VaultlibCaller.Use(new Vaultlib.Authorization.CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app" }))
        {
            await kms.GenerateRandomAsync(new GenerateRandomRequest { NumberOfBytes = 8 });
            await Assert.ThrowsAsync<AccessDeniedException>(() => kms.CreateKeyAsync(new CreateKeyRequest()));
        }

        Assert.Throws<Vaultlib.Authorization.PolicyDocumentException>(() => new ServiceCollection().AddVaultlib().AddIdentityPolicy("arn:aws:iam::111122223333:role/x", "{}"));
    }
}
