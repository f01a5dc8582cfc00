// Every C# snippet of README.md, verbatim between its markers, so that each one compiles with the
// packages the README names. tests/Vaultlib.Tests/ReadmeSnippetTests.cs checks that the README and
// this file agree. Built by CI with the solution; not run (the persistence snippet writes to /run/secrets).
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Vaultlib;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Envelope;
using Vaultlib.Keys;
using Vaultlib.Scheduling;
using Vaultlib.Storage;
using Xunit;

namespace Vaultlib.Samples.Readme;

internal static class Snippets
{
    public static async Task Main(string[] args)
    {
        await GenericHost(args);
        await ServiceCollection();
        using (var kms = new InMemoryKeyService())
        {
            var key = await kms.CreateKeyAsync("orders");
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/orders", TargetKeyId = key.KeyId });
            await Envelope(kms, new byte[200_000]);
        }

        await Audit();
        await Regions();
        await Fake();
        Console.WriteLine("Every README snippet but the persistence one ran.");
    }

    public static async Task GenericHost(string[] args)
    {
        // README:begin GenericHost
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddVaultlib(o => o.Region = "eu-west-1");      // in memory by default
        using IHost host = builder.Build();
        await host.StartAsync();                                        // starts the Vaultlib scheduler too

        IKeyService kms = host.Services.GetRequiredService<IKeyService>();
        var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "orders" });
        var encrypted = await kms.EncryptAsync(new EncryptRequest
        {
            KeyId = key.KeyMetadata.KeyId,
            Plaintext = Encoding.UTF8.GetBytes("card token"),
            EncryptionContext = new Dictionary<string, string> { ["order"] = "42" },
        });
        var decrypted = await kms.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = encrypted.CiphertextBlob,                  // the blob names its key
            EncryptionContext = new Dictionary<string, string> { ["order"] = "42" },
        });
        // README:end GenericHost
        await Task.CompletedTask;
    }

    public static async Task ServiceCollection()
    {
        // README:begin ServiceCollection
        var services = new ServiceCollection();
        services.AddVaultlib();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IKeyService kms = provider.GetRequiredService<IKeyService>();
        // README:end ServiceCollection
        await Task.CompletedTask;
    }

    public static async Task Persistence()
    {
        // README:begin Persistence
        const string keyFile = "/run/secrets/vault.key", vaultFile = "/var/lib/myapp/vault.db";
        using VaultRootKey rootKey = File.Exists(keyFile)
            ? VaultRootKey.FromKeyFile(keyFile)
            : VaultRootKey.CreateKeyFile(keyFile);                       // 32 random bytes, mode 0600

        var services = new ServiceCollection();
        services.AddVaultlib().PersistToSqlite(vaultFile, rootKey);   // one SQLite file (WAL), mode 0600
        await using ServiceProvider provider = services.BuildServiceProvider();
        IKeyService kms = provider.GetRequiredService<IKeyService>();

        AliasListEntry? existing = (await kms.ListAliasesAsync(new ListAliasesRequest())).Aliases
            .FirstOrDefault(a => a.AliasName == "alias/orders");
        if (existing is null)                                             // first run only
        {
            var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "orders" });
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/orders", TargetKeyId = key.KeyMetadata.KeyId });
        }
        // README:end Persistence
        await Task.CompletedTask;
    }

    public static async Task Envelope(IKeyService kms, byte[] bigDocument)
    {
        // README:begin Envelope
        var encryptor = new EnvelopeEncryptor();                       // commitment policy REQUIRE_ENCRYPT_REQUIRE_DECRYPT
        var keyring = new KmsKeyring(kms, "alias/orders");             // or RawAesKeyring, RawRsaKeyring, MultiKeyring
        var cmm = new CachingCryptoMaterialsManager(keyring, new LocalCryptoMaterialsCache(capacity: 100),
            new CachingCryptoMaterialsManagerOptions { MaxAge = TimeSpan.FromMinutes(5), MaxMessagesEncrypted = 1000 });

        EncryptOutput sealedMessage = await encryptor.EncryptAsync(new EncryptInput
        {
            Plaintext = bigDocument, MaterialsManager = cmm,
            EncryptionContext = new Dictionary<string, string> { ["order"] = "42" },
        });
        DecryptOutput opened = await encryptor.DecryptAsync(new DecryptInput { Ciphertext = sealedMessage.Ciphertext, MaterialsManager = cmm });
        // README:end Envelope
        await Task.CompletedTask;
    }

    public static async Task Audit()
    {
        // README:begin Audit
        var services = new ServiceCollection();
        services.AddVaultlib()
            .AddInMemoryAudit()                                             // or AddJsonLinesAudit(path), AddLoggerAudit()
            .AddIdentityPolicy("arn:aws:iam::111122223333:role/app",
                """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}}""");
        await using ServiceProvider provider = services.BuildServiceProvider();
        KeyService kms = provider.GetRequiredService<KeyService>();
        var key = await kms.CreateKeyAsync(new CreateKeyRequest { Description = "orders" });

        IKeyService app = kms.AsCaller(new CallerIdentity { Principal = "arn:aws:iam::111122223333:role/app" });
        await app.EncryptAsync(new EncryptRequest { KeyId = key.KeyMetadata.KeyId, Plaintext = "order 42"u8.ToArray() }); // allowed
        try
        {
            await app.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyMetadata.KeyId });
        }
        catch (AccessDeniedException ex)                                   // every KMS error is a KeyManagementException
        {
            Console.WriteLine(ex.Message);
        }

        InMemoryAuditSink audit = provider.GetRequiredService<InMemoryAuditSink>();
        foreach (AuditEvent e in audit.Query(resourceArn: key.KeyMetadata.Arn))
        {
            Console.WriteLine($"{e.EventTime:O} {e.UserIdentity.Arn} {e.EventName} {e.ErrorCode ?? "ok"}"); // bytes appear as HIDDEN_DUE_TO_SECURITY_REASONS
        }
        // README:end Audit
        await Task.CompletedTask;
    }

    public static async Task Regions()
    {
        // README:begin Regions
        using var host = new VaultlibHost();                              // or provider.GetRequiredService<VaultlibHost>()
        KeyService virginia = host.GetKeyService("us-east-1"), ireland = host.GetKeyService("eu-west-1");
        var east = await virginia.CreateKeyAsync(new CreateKeyRequest());
        var west = await ireland.CreateKeyAsync(new CreateKeyRequest());
        var blob = await virginia.EncryptAsync(new EncryptRequest { KeyId = east.KeyMetadata.KeyId, Plaintext = "snapshot"u8.ToArray() });
        var plain = await virginia.DecryptAsync(new DecryptRequest { CiphertextBlob = blob.CiphertextBlob });
        var moved = await ireland.EncryptAsync(new EncryptRequest { KeyId = west.KeyMetadata.KeyId, Plaintext = plain.Plaintext });
        // README:end Regions
        await Task.CompletedTask;
    }

    public static async Task Fake()
    {
        // README:begin Fake
        var clock = new FakeTimeProvider();
        using var kms = new InMemoryKeyService(timeProvider: clock);
        using var scheduler = new VaultlibScheduler(clock).Add(kms.ScheduledWork).Start();
        var key = await kms.CreateKeyAsync("test");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        clock.Advance(TimeSpan.FromDays(7));
        await scheduler.WhenIdleAsync();                                  // the key is purged on time, untouched
        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }));
        // README:end Fake
        await Task.CompletedTask;
    }
}
