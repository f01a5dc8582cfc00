using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

/// <summary>The KMS contract over an embedded SQLite vault, and what durability adds: reopening, sharing, tampering, crashes.</summary>
public sealed class SqliteKeyServiceTests : KeyServiceContractTests
{
    private readonly TempDirectory _temp = new();
    private readonly byte[] _rootKeyBytes = RandomNumberGenerator.GetBytes(32);
    private readonly List<Vault> _vaults = [];

    private string VaultPath => _temp.Combine("vault.db");

    protected override KeyService CreateService(FakeTimeProvider clock) => Open(clock);

    protected override Vault CreateVault(FakeTimeProvider clock)
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(_rootKeyBytes);
        Vault vault = Vault.OpenSqlite(_temp.Combine($"host-{_vaults.Count}.db"), rootKey, timeProvider: clock);
        _vaults.Add(vault);
        return vault;
    }

    private VaultKeyService Open(FakeTimeProvider? clock = null)
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(_rootKeyBytes);
        Vault vault = Vault.OpenSqlite(VaultPath, rootKey, timeProvider: clock ?? Clock);
        _vaults.Add(vault);
        return new VaultKeyService(vault, timeProvider: clock ?? Clock);
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (Vault vault in _vaults)
        {
            vault.Dispose();
        }

        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_new_instance_over_the_same_vault_sees_everything()
    {
        byte[] blob;
        KeyMetadata key, disabled, pending;
        using (VaultKeyService first = Open())
        {
            key = (await first.CreateKeyAsync(new CreateKeyRequest { Description = "kept", Tags = [new Tag { TagKey = "t", TagValue = "v" }] })).KeyMetadata;
            await first.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/kept", TargetKeyId = key.KeyId });
            await first.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 100 });
            blob = (await first.EncryptAsync(new EncryptRequest { KeyId = "alias/kept", Plaintext = Encoding.UTF8.GetBytes("survives"), EncryptionContext = TestData.Context(("a", "b")) })).CiphertextBlob.ToArray();
            await first.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            disabled = await first.CreateKeyAsync("off");
            await first.DisableKeyAsync(new DisableKeyRequest { KeyId = disabled.KeyId });
            pending = await first.CreateKeyAsync("doomed");
            await first.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/doomed", TargetKeyId = pending.KeyId });
            await first.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = pending.KeyId, PendingWindowInDays = 7 });
            await first.GetOrCreateAwsManagedKeyAsync("secretsmanager");
        }

        using VaultKeyService second = Open();
        KeyMetadata reloaded = (await second.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/kept" })).KeyMetadata;
        Assert.Equal(key.KeyId, reloaded.KeyId);
        Assert.Equal("kept", reloaded.Description);
        Assert.Equal(TestData.Epoch, reloaded.CreationDate);
        Assert.Equal("survives", Encoding.UTF8.GetString((await second.DecryptAsync(new DecryptRequest { CiphertextBlob = blob, EncryptionContext = TestData.Context(("a", "b")) })).Plaintext.Span));
        Assert.Equal([new Tag { TagKey = "t", TagValue = "v" }], (await second.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags);
        GetKeyRotationStatusResponse rotation = await second.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = key.KeyId });
        Assert.Equal(100, rotation.RotationPeriodInDays);
        Assert.Equal(TestData.Epoch.AddDays(100), rotation.NextRotationDate);
        Assert.Single((await second.ListKeyRotationsAsync(new ListKeyRotationsRequest { KeyId = key.KeyId })).Rotations);
        Assert.Equal(KeyState.Disabled, (await second.DescribeKeyAsync(new DescribeKeyRequest { KeyId = disabled.KeyId })).KeyMetadata.KeyState);
        Assert.Equal(TestData.Epoch.AddDays(7), (await second.DescribeKeyAsync(new DescribeKeyRequest { KeyId = pending.KeyId })).KeyMetadata.DeletionDate);
        Assert.Equal(KeyManagerType.AWS, (await second.DescribeKeyAsync(new DescribeKeyRequest { KeyId = "alias/aws/secretsmanager" })).KeyMetadata.KeyManager);
        Assert.Equal(4, (await second.ListKeysAsync(new ListKeysRequest())).Keys.Count);

        Clock.Advance(TimeSpan.FromDays(7));
        await Assert.ThrowsAsync<NotFoundException>(() => second.DescribeKeyAsync(new DescribeKeyRequest { KeyId = pending.KeyId }));
        second.Dispose();
        using VaultKeyService third = Open();
        Assert.Equal(3, (await third.ListKeysAsync(new ListKeysRequest())).Keys.Count);
        Assert.DoesNotContain((await third.ListAliasesAsync(new ListAliasesRequest())).Aliases, a => a.AliasName == "alias/doomed"); // purged with its key, in one transaction
    }

    [Fact]
    public async Task Asymmetric_and_HMAC_keys_survive_a_reopen_with_the_same_material()
    {
        byte[] message = Encoding.UTF8.GetBytes("persisted signature");
        string rsa, ed, hmac;
        byte[] rsaPublic, signature, mac;
        using (VaultKeyService first = Open())
        {
            rsa = (await first.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.KeyId;
            ed = (await first.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_EDWARDS25519 })).KeyMetadata.KeyId;
            hmac = (await first.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_512 })).KeyMetadata.KeyId;
            rsaPublic = (await first.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = rsa })).PublicKey.ToArray();
            signature = (await first.SignAsync(new SignRequest { KeyId = ed, Message = message, SigningAlgorithm = SigningAlgorithmSpec.ED25519_SHA_512 })).Signature.ToArray();
            mac = (await first.GenerateMacAsync(new GenerateMacRequest { KeyId = hmac, Message = message, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 })).Mac.ToArray();
        }

        using VaultKeyService second = Open();
        Assert.Equal(rsaPublic, (await second.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = rsa })).PublicKey.ToArray());
        Assert.True((await second.VerifyAsync(new VerifyRequest { KeyId = ed, Message = message, Signature = signature, SigningAlgorithm = SigningAlgorithmSpec.ED25519_SHA_512 })).SignatureValid);
        Assert.True((await second.VerifyMacAsync(new VerifyMacRequest { KeyId = hmac, Message = message, Mac = mac, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 })).MacValid);
        byte[] rsaSignature = (await second.SignAsync(new SignRequest { KeyId = rsa, Message = message, SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PSS_SHA_256 })).Signature.ToArray();
        using var verifier = RSA.Create();
        verifier.ImportSubjectPublicKeyInfo(rsaPublic, out _);
        Assert.True(verifier.VerifyData(message, rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public async Task Two_instances_over_one_vault_see_each_other_and_race_safely()
    {
        using VaultKeyService one = Open();
        using VaultKeyService two = Open();
        KeyMetadata key = await one.CreateKeyAsync("shared");

        KeyMetadata seen = await Eventually(async () => (await two.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata);
        Assert.Equal("shared", seen.Description);

        Task<bool>[] racers = [.. Enumerable.Range(0, 8).Select(i => TryCreateAlias(i % 2 == 0 ? one : two, key.KeyId))];
        Assert.Single(await Task.WhenAll(racers), won => won);

        await one.UpdateKeyDescriptionAsync(new UpdateKeyDescriptionRequest { KeyId = key.KeyId, Description = "from one" });
        await two.TagResourceAsync(new TagResourceRequest { KeyId = key.KeyId, Tags = [new Tag { TagKey = "from", TagValue = "two" }] }); // no lost update
        KeyMetadata merged = await Eventually(async () =>
        {
            KeyMetadata m = (await one.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata;
            Assert.Single((await one.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = key.KeyId })).Tags);
            return m;
        });
        Assert.Equal("from one", merged.Description);
    }

    private static async Task<bool> TryCreateAlias(KeyService kms, string keyId)
    {
        try
        {
            await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/contested", TargetKeyId = keyId });
            return true;
        }
        catch (AlreadyExistsException)
        {
            return false;
        }
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> probe)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await probe();
            }
            catch (Exception) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public async Task The_wrong_root_key_is_refused_as_such()
    {
        using (VaultKeyService first = Open())
        {
            await first.CreateKeyAsync();
        }

        using VaultRootKey wrong = VaultRootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var ex = Assert.Throws<VaultStoreException>(() => Vault.OpenSqlite(VaultPath, wrong));
        Assert.Equal(VaultStoreFailure.InvalidRootKey, ex.Failure);
        Assert.Equal("VaultStoreInvalidRootKey", ex.ErrorCode);
    }

    [Fact]
    public async Task A_key_record_edited_in_the_file_is_refused_naming_the_record()
    {
        KeyMetadata key;
        using (VaultKeyService first = Open())
        {
            key = await first.CreateKeyAsync("victim");
        }

        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={VaultPath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "UPDATE records SET data = CAST(substr(data, 1, 40) || zeroblob(1) || substr(data, 42) AS BLOB) WHERE collection = 'keys' AND id = $id";
            command.Parameters.AddWithValue("$id", key.KeyId);
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var ex = Assert.Throws<VaultStoreException>(() => Open());
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal($"kms/us-east-1/111122223333/keys/{key.KeyId}", ex.Location);
    }

    [Fact]
    public async Task No_file_of_the_vault_holds_key_material_plaintexts_or_data_keys()
    {
        var needles = new SecretNeedles();
        using (VaultKeyService kms = Open())
        {
            KeyMetadata key = await kms.CreateKeyAsync("scan");
            await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });
            await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            byte[] plaintext = Encoding.UTF8.GetBytes("correct horse battery staple, the database password");
            needles.Add("plaintext", plaintext);
            await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext });
            GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
            needles.Add("data key", dataKey.Plaintext.Span);
            CreateGrantResponse grant = await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Encrypt] });
            needles.Add("grant token", Encoding.ASCII.GetBytes(grant.GrantToken));
            await kms.GetOrCreateAwsManagedKeyAsync("ssm");
            await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY });
            await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_P256 });
            await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_EDWARDS25519 });
            await kms.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_256 });
            foreach (KeyListEntry entry in (await kms.ListKeysAsync(new ListKeysRequest())).Keys)
            {
                foreach (byte[] material in kms.DangerousExportAllMaterialForTests(entry.KeyId))
                {
                    needles.Add($"material of {entry.KeyId}", material);
                }
            }

            // The WAL is scanned while it still holds the writes, before a checkpoint folds it in.
            await ScanFiles(needles, expectWal: true);
        }

        SqliteConnection.ClearAllPools();
        await ScanFiles(needles, expectWal: false);
    }

    private async Task ScanFiles(SecretNeedles needles, bool expectWal)
    {
        string[] files = Directory.GetFiles(_temp.Path, "vault.db*");
        Assert.Contains(files, f => f.EndsWith("vault.db", StringComparison.Ordinal));
        if (expectWal)
        {
            Assert.Contains(files, f => f.EndsWith("-wal", StringComparison.Ordinal));
        }

        Assert.True(needles.Count >= 30);
        foreach (string file in files)
        {
            byte[] content;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                content = new byte[stream.Length];
                await stream.ReadExactlyAsync(content);
            }

            Assert.Empty(needles.FoundIn(content));
        }
    }
}

/// <summary>The KMS contract over a PostgreSQL vault: the fleet store behaves exactly as the others.</summary>
public sealed class PostgreSqlKeyServiceTests : KeyServiceContractTests
{
    private readonly List<Vault> _vaults = [];
    private readonly List<string> _schemas = [];

    protected override KeyService CreateService(FakeTimeProvider clock) => new VaultKeyService(CreateVault(clock), timeProvider: clock);

    protected override Vault CreateVault(FakeTimeProvider clock)
    {
        (Vaultlib.PostgreSql.PostgreSqlVaultStore store, string schema) = PostgreSqlServer.NewStoreAsync(clock).GetAwaiter().GetResult();
        _schemas.Add(schema);
        using VaultRootKey rootKey = VaultRootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        Vault vault = Vault.Open(store, rootKey, ownsStore: true);
        _vaults.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (Vault vault in _vaults)
        {
            vault.Dispose();
        }

        foreach (string schema in _schemas)
        {
            PostgreSqlServer.DropSchemaAsync(schema).GetAwaiter().GetResult();
        }
    }
}
