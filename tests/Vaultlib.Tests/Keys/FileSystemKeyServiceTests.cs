using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys;

public sealed class FileSystemKeyServiceTests : KeyServiceContractTests
{
    private readonly TempDirectory _temp = new();
    private readonly byte[] _rootKeyBytes = RandomNumberGenerator.GetBytes(32);

    private string StoreDirectory => _temp.Combine("kms");

    protected override KeyService CreateService(FakeTimeProvider clock) => Open(clock);

    private FileSystemKeyService Open(FakeTimeProvider? clock = null)
    {
        using VaultRootKey rootKey = VaultRootKey.FromBytes(_rootKeyBytes);
        return new FileSystemKeyService(StoreDirectory, rootKey, timeProvider: clock ?? Clock);
    }

    public override void Dispose()
    {
        base.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_new_instance_over_the_same_directory_sees_everything()
    {
        byte[] blob;
        KeyMetadata key, disabled, pending;
        using (FileSystemKeyService first = Open())
        {
            key = (await first.CreateKeyAsync(new CreateKeyRequest { Description = "kept", Tags = [new Tag { TagKey = "t", TagValue = "v" }] })).KeyMetadata;
            await first.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/kept", TargetKeyId = key.KeyId });
            await first.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 100 });
            blob = (await first.EncryptAsync(new EncryptRequest { KeyId = "alias/kept", Plaintext = Encoding.UTF8.GetBytes("survives"), EncryptionContext = TestData.Context(("a", "b")) })).CiphertextBlob.ToArray();
            await first.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            disabled = await first.CreateKeyAsync("off");
            await first.DisableKeyAsync(new DisableKeyRequest { KeyId = disabled.KeyId });
            pending = await first.CreateKeyAsync("doomed");
            await first.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = pending.KeyId, PendingWindowInDays = 7 });
            first.GetOrCreateAwsManagedKey("secretsmanager");
        }

        using FileSystemKeyService second = Open();
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
        using FileSystemKeyService third = Open();
        Assert.Equal(3, (await third.ListKeysAsync(new ListKeysRequest())).Keys.Count);
    }

    [Fact]
    public async Task Asymmetric_and_HMAC_keys_survive_a_reopen_with_the_same_material()
    {
        byte[] message = Encoding.UTF8.GetBytes("persisted signature");
        string rsa, ed, hmac;
        byte[] rsaPublic, signature, mac;
        using (FileSystemKeyService first = Open())
        {
            rsa = (await first.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.RSA_2048, KeyUsage = KeyUsageType.SIGN_VERIFY })).KeyMetadata.KeyId;
            ed = (await first.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.ECC_NIST_EDWARDS25519 })).KeyMetadata.KeyId;
            hmac = (await first.CreateKeyAsync(new CreateKeyRequest { KeySpec = KeySpec.HMAC_512 })).KeyMetadata.KeyId;
            rsaPublic = (await first.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = rsa })).PublicKey.ToArray();
            signature = (await first.SignAsync(new SignRequest { KeyId = ed, Message = message, SigningAlgorithm = SigningAlgorithmSpec.ED25519_SHA_512 })).Signature.ToArray();
            mac = (await first.GenerateMacAsync(new GenerateMacRequest { KeyId = hmac, Message = message, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 })).Mac.ToArray();
        }

        using FileSystemKeyService second = Open();
        Assert.Equal(rsaPublic, (await second.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = rsa })).PublicKey.ToArray());
        Assert.True((await second.VerifyAsync(new VerifyRequest { KeyId = ed, Message = message, Signature = signature, SigningAlgorithm = SigningAlgorithmSpec.ED25519_SHA_512 })).SignatureValid);
        Assert.True((await second.VerifyMacAsync(new VerifyMacRequest { KeyId = hmac, Message = message, Mac = mac, MacAlgorithm = MacAlgorithmSpec.HMAC_SHA_512 })).MacValid);
        byte[] rsaSignature = (await second.SignAsync(new SignRequest { KeyId = rsa, Message = message, SigningAlgorithm = SigningAlgorithmSpec.RSASSA_PSS_SHA_256 })).Signature.ToArray();
        using var verifier = RSA.Create();
        verifier.ImportSubjectPublicKeyInfo(rsaPublic, out _);
        Assert.True(verifier.VerifyData(message, rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public async Task A_second_instance_cannot_open_a_store_that_is_open()
    {
        using FileSystemKeyService first = Open();
        await first.CreateKeyAsync();
        var ex = Assert.Throws<VaultStoreException>(() => Open());
        Assert.Equal(VaultStoreFailure.Locked, ex.Failure);
    }

    [Fact]
    public async Task The_wrong_root_key_is_refused_as_such()
    {
        using (FileSystemKeyService first = Open())
        {
            await first.CreateKeyAsync();
        }

        using VaultRootKey wrong = VaultRootKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var ex = Assert.Throws<VaultStoreException>(() => new FileSystemKeyService(StoreDirectory, wrong));
        Assert.Equal(VaultStoreFailure.InvalidRootKey, ex.Failure);
        Assert.Equal("VaultStoreInvalidRootKey", ex.ErrorCode);
    }

    [Fact]
    public async Task A_record_edited_on_disk_is_refused_naming_the_file()
    {
        string path;
        using (FileSystemKeyService first = Open())
        {
            KeyMetadata key = await first.CreateKeyAsync("victim");
            path = Path.Combine(StoreDirectory, "keys", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.KeyId))) + ".rec");
        }

        byte[] content = await File.ReadAllBytesAsync(path);
        content[content.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, content);

        var ex = Assert.Throws<VaultStoreException>(() => Open());
        Assert.Equal(VaultStoreFailure.Tampered, ex.Failure);
        Assert.Equal(path, ex.Location);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_swapped_for_another_or_truncated_is_refused()
    {
        string[] paths;
        using (FileSystemKeyService first = Open())
        {
            await first.CreateKeyAsync("a");
            await first.CreateKeyAsync("b");
            paths = Directory.GetFiles(Path.Combine(StoreDirectory, "keys"));
        }

        File.Copy(paths[0], paths[1], overwrite: true);
        var swapped = Assert.Throws<VaultStoreException>(() => Open());
        Assert.Equal(VaultStoreFailure.Tampered, swapped.Failure);
        Assert.Contains("swapped", swapped.Message, StringComparison.Ordinal);

        await File.WriteAllBytesAsync(paths[1], (await File.ReadAllBytesAsync(paths[0]))[..20]);
        Assert.Equal(VaultStoreFailure.Tampered, Assert.Throws<VaultStoreException>(() => Open()).Failure);

        await File.WriteAllTextAsync(paths[1], "not a record");
        Assert.Equal(VaultStoreFailure.Tampered, Assert.Throws<VaultStoreException>(() => Open()).Failure);
    }

    [Fact]
    public async Task A_record_moved_from_another_collection_is_refused()
    {
        using (FileSystemKeyService first = Open())
        {
            KeyMetadata key = await first.CreateKeyAsync();
            await first.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/x", TargetKeyId = key.KeyId });
        }

        string alias = Directory.GetFiles(Path.Combine(StoreDirectory, "aliases")).Single();
        File.Copy(alias, Path.Combine(StoreDirectory, "keys", Path.GetFileName(alias)));
        Assert.Equal(VaultStoreFailure.Tampered, Assert.Throws<VaultStoreException>(() => Open()).Failure);
    }

    [Fact]
    public async Task Leftover_temporary_files_of_an_interrupted_write_are_ignored_and_removed()
    {
        using (FileSystemKeyService first = Open())
        {
            await first.CreateKeyAsync();
        }

        string leftover = Path.Combine(StoreDirectory, "keys", "0123.rec.abcdef.tmp");
        await File.WriteAllBytesAsync(leftover, [1, 2, 3]);
        using FileSystemKeyService second = Open();
        Assert.Single((await second.ListKeysAsync(new ListKeysRequest())).Keys);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public async Task No_file_in_the_store_holds_key_material_plaintexts_or_data_keys()
    {
        var needles = new SecretNeedles();
        using (FileSystemKeyService kms = Open())
        {
            KeyMetadata key = await kms.CreateKeyAsync("scan");
            await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId });
            await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = key.KeyId });
            byte[] plaintext = Encoding.UTF8.GetBytes("correct horse battery staple, the database password");
            needles.Add("plaintext", plaintext);
            await kms.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = plaintext });
            GenerateDataKeyResponse dataKey = await kms.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = key.KeyId, KeySpec = DataKeySpec.AES_256 });
            needles.Add("data key", dataKey.Plaintext.Span);
            kms.GetOrCreateAwsManagedKey("ssm");
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
        }

        string[] files = Directory.GetFiles(StoreDirectory, "*", SearchOption.AllDirectories);
        Assert.True(files.Length >= 4, "the scan must cover the header, keys and aliases");
        Assert.True(needles.Count >= 30);
        foreach (string file in files)
        {
            Assert.Empty(needles.FoundIn(await File.ReadAllBytesAsync(file)));
        }
    }

    [Fact]
    public async Task Store_files_are_readable_by_their_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permission bits only; Windows inherits the directory's ACL.
        }

        using (FileSystemKeyService kms = Open())
        {
            await kms.CreateKeyAsync();
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(StoreDirectory));
        foreach (string file in Directory.GetFiles(Path.Combine(StoreDirectory, "keys")))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task A_writer_killed_mid_write_leaves_a_readable_store_with_every_acknowledged_write()
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "Vaultlib.Tests.CrashWriter.dll");
        Assert.True(File.Exists(writer), $"the crash writer is built beside the tests: {writer}");
        var acknowledged = new Dictionary<string, string>();

        for (int round = 0; round < 3; round++)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            start.ArgumentList.Add(writer);
            start.ArgumentList.Add(StoreDirectory);
            start.ArgumentList.Add(Convert.ToBase64String(_rootKeyBytes));
            using Process process = Process.Start(start)!;
            int target = 40 + Random.Shared.Next(40);
            int acks = 0;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("ACK ", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ');
                    acknowledged[parts[1]] = parts[2];
                    if (++acks == target)
                    {
                        // Kill while it is in the middle of its next writes.
                        process.Kill(entireProcessTree: true);
                        break;
                    }
                }
            }

            await process.WaitForExitAsync();
            Assert.True(acks == target, $"round {round}: the writer stopped after {acks} writes: it must be killed, not finish");

            using FileSystemKeyService reopened = Open();
            foreach ((string keyId, string tag) in acknowledged)
            {
                KeyMetadata key = (await reopened.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata;
                Assert.Equal(KeyState.Enabled, key.KeyState);
                if (tag != "none")
                {
                    IReadOnlyList<Tag> tags = (await reopened.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyId })).Tags;
                    Assert.Equal(tag, Assert.Single(tags).TagValue);
                }
            }

            byte[] blob = (await reopened.EncryptAsync(new EncryptRequest { KeyId = acknowledged.Keys.First(), Plaintext = new byte[] { 1 } })).CiphertextBlob.ToArray();
            Assert.Equal([1], (await reopened.DecryptAsync(new DecryptRequest { CiphertextBlob = blob })).Plaintext.ToArray());
        }
    }
}
