using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Keys.Core;

/// <summary>
/// The key table under the KMS operations: what it does by itself when work falls due (which key is due first, who
/// does it when instances share a vault, what it logs, traces and zeroes), and what it holds after it is disposed.
/// </summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class KeyTableTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly InMemoryAuditSink _audit = new();
    private readonly InMemoryKeyService _kms;

    public KeyTableTests() => _kms = new InMemoryKeyService(timeProvider: _clock, loggerFactory: _logs, auditSink: _audit);

    public void Dispose()
    {
        _kms.Dispose();
        _logs.Dispose();
    }

    private KeyTable Table => _kms.Table;

    private static async Task<KeyMetadata> RotatingKey(KeyService kms, int days)
    {
        KeyMetadata key = await kms.CreateKeyAsync($"rotates every {days} days");
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = days });
        return key;
    }

    private Task<KeyMetadata> ImportedKey(DateTimeOffset validTo) => ImportWrapping.ImportedKeyAsync(_kms, validTo);

    [Fact]
    public async Task The_next_due_time_is_the_earliest_over_all_keys()
    {
        Assert.Null(Table.NextDueTime);
        await RotatingKey(_kms, 365);
        await RotatingKey(_kms, 90);
        await RotatingKey(_kms, 180);

        Assert.Equal(TestData.Epoch.AddDays(90), Table.NextDueTime);
    }

    [Fact]
    public async Task A_replica_is_never_due_for_rotation_in_its_own_region_while_its_primary_is()
    {
        using var host = new VaultlibHost(Vault.CreateInMemory(_clock), ownsVault: true, timeProvider: _clock);
        KeyService east = host.GetKeyService("us-east-1");
        KeyService west = host.GetKeyService("eu-west-1");
        string keyId = (await east.CreateKeyAsync(new CreateKeyRequest { MultiRegion = true })).KeyMetadata.KeyId;
        await east.ReplicateKeyAsync(new ReplicateKeyRequest { KeyId = keyId, ReplicaRegion = "eu-west-1" });
        await east.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = keyId, RotationPeriodInDays = 90 });

        Assert.True((await west.GetKeyRotationStatusAsync(new GetKeyRotationStatusRequest { KeyId = keyId })).KeyRotationEnabled);
        Assert.Equal(TestData.Epoch.AddDays(90), east.ScheduledWork.NextDueTime);
        Assert.Null(west.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task Only_the_instance_holding_the_scheduler_lease_applies_due_work()
    {
        using Vault vault = Vault.CreateInMemory(_clock);
        using var holder = new VaultKeyService(vault, timeProvider: _clock);
        using var other = new VaultKeyService(vault, timeProvider: _clock);
        KeyMetadata key = await RotatingKey(holder, 90);
        await other.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId }); // both views hold it
        _clock.Advance(TimeSpan.FromDays(90));
        Assert.True(await holder.Table.TryLeadSchedulerAsync(TimeSpan.FromHours(1), default));

        await other.ScheduledWork.RunDueAsync(default);
        Assert.Single(other.Table.FindKeyUntouched(key.KeyId)!.Materials);

        await holder.ScheduledWork.RunDueAsync(default);
        Assert.Equal(2, holder.Table.FindKeyUntouched(key.KeyId)!.Materials.Length);
    }

    [Fact]
    public async Task A_change_made_through_the_table_applies_the_due_rotations_first()
    {
        KeyMetadata key = await RotatingKey(_kms, 90);
        _clock.Advance(TimeSpan.FromDays(180));

        KeyRecord updated = await Table.MutateAsync(key.KeyId, k => k with { Description = "changed" }, default);

        Assert.Equal("changed", updated.Description);
        Assert.Equal(3, updated.Materials.Length);
        Assert.Equal(2, _audit.Query(eventName: "RotateKey").Count);
    }

    [Fact]
    public async Task Scheduled_work_is_logged_under_the_key_service_s_category()
    {
        KeyMetadata rotating = await RotatingKey(_kms, 90);
        KeyMetadata imported = await ImportedKey(TestData.Epoch.AddDays(1));
        KeyMetadata deleted = await _kms.CreateKeyAsync("deleted");
        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = deleted.KeyId, PendingWindowInDays = 7 });

        _clock.Advance(TimeSpan.FromDays(90));
        await _kms.ScheduledWork.RunDueAsync(default);

        string[] lines = [.. _logs.Lines];
        Assert.Contains(lines, l => l.StartsWith("Information Vaultlib.Keys.KeyService [1100]", StringComparison.Ordinal) && l.Contains(rotating.Arn, StringComparison.Ordinal) && l.Contains("AUTOMATIC", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Information Vaultlib.Keys.KeyService [1103]", StringComparison.Ordinal) && l.Contains(imported.Arn, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Information Vaultlib.Keys.KeyService [1101]", StringComparison.Ordinal) && l.Contains(deleted.Arn, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_automatic_rotation_is_traced_as_a_rotation_step_and_an_expiry_alone_is_not()
    {
        using var recorder = new TelemetryRecorder();
        KeyMetadata rotating = await RotatingKey(_kms, 90);
        await ImportedKey(TestData.Epoch.AddDays(1));

        _clock.Advance(TimeSpan.FromDays(1));
        await _kms.ScheduledWork.RunDueAsync(default);
        Assert.Empty(recorder.Spans(s => s.DisplayName.Contains("rotation", StringComparison.Ordinal)));

        _clock.Advance(TimeSpan.FromDays(89));
        await _kms.ScheduledWork.RunDueAsync(default);
        Activity span = Assert.Single(recorder.Spans(s => s.DisplayName.Contains("rotation", StringComparison.Ordinal)));
        Assert.Equal("KMS rotation RotateKey", span.DisplayName);
        Assert.Equal("KMS", span.GetTagItem("rpc.service"));
        Assert.Equal("RotateKey", span.GetTagItem("vaultlib.rotation.step"));
        Assert.Equal(2, Table.FindKeyUntouched(rotating.KeyId)!.Materials.Length);
    }

    [Fact]
    public async Task Material_a_key_drops_is_zeroed_when_it_expires_or_is_deleted()
    {
        KeyMetadata expiring = await ImportedKey(TestData.Epoch.AddDays(1));
        KeyMaterial expired = Assert.Single(Table.FindKeyUntouched(expiring.KeyId)!.Materials);
        KeyMetadata deleting = await ImportedKey(TestData.Epoch.AddDays(30));
        KeyMaterial deleted = Assert.Single(Table.FindKeyUntouched(deleting.KeyId)!.Materials);

        await _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest { KeyId = deleting.KeyId });
        Assert.True(deleted.Secret.IsClosed);
        Assert.False(expired.Secret.IsClosed);

        _clock.Advance(TimeSpan.FromDays(1));
        await _kms.ScheduledWork.RunDueAsync(default);
        Assert.True(expired.Secret.IsClosed);
    }

    [Fact]
    public async Task The_end_of_a_deletion_window_deletes_the_key_s_grants_and_aliases_with_it()
    {
        KeyMetadata kept = await _kms.CreateKeyAsync("kept");
        KeyMetadata doomed = await _kms.CreateKeyAsync("doomed");
        foreach (KeyMetadata key in new[] { kept, doomed })
        {
            await _kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Encrypt] });
            await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/" + key.Description, TargetKeyId = key.KeyId });
        }

        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });
        _clock.Advance(TimeSpan.FromDays(7));
        await _kms.ScheduledWork.RunDueAsync(default);

        Assert.Equal(kept.KeyId, Assert.Single(Table.Grants).KeyId);
        Assert.Equal("alias/kept", Assert.Single(Table.Aliases).AliasName);
        AuditEvent purge = Assert.Single(_audit.Query(eventName: "DeleteKey"));
        Assert.Equal(doomed.Arn, Assert.Single(purge.Resources).ARN);
    }

    [Fact]
    public async Task Deleting_an_alias_that_does_not_exist_is_not_found_before_it_is_authorized()
    {
        using (VaultlibCaller.Use(new CallerIdentity { Principal = "arn:aws:iam::111122223333:role/nobody" }))
        {
            await Assert.ThrowsAsync<NotFoundException>(() => _kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/missing" }));
        }

        KeyMetadata target = await _kms.CreateKeyAsync("target");
        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/present", TargetKeyId = target.KeyId });
        using (VaultlibCaller.Use(new CallerIdentity { Principal = "arn:aws:iam::111122223333:role/nobody" }))
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _kms.DeleteAliasAsync(new DeleteAliasRequest { AliasName = "alias/present" }));
        }
    }

    [Fact]
    public async Task A_new_instance_on_the_same_vault_loads_every_key_alias_and_grant()
    {
        using Vault vault = Vault.CreateInMemory(_clock);
        string keyId;
        using (var first = new VaultKeyService(vault, timeProvider: _clock))
        {
            keyId = (await first.CreateKeyAsync("durable")).KeyId;
            await first.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/durable", TargetKeyId = keyId });
            await first.CreateGrantAsync(new CreateGrantRequest { KeyId = keyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Decrypt] });
        }

        using var second = new VaultKeyService(vault, timeProvider: _clock);
        Assert.Equal(1, second.Table.KeyCount);
        Assert.Equal(1, second.Table.AliasCount);
        Assert.Equal(keyId, Assert.Single(second.Table.Grants).KeyId);
    }

    [Fact]
    public async Task A_blob_of_a_key_another_instance_made_a_moment_ago_decrypts_at_once()
    {
        using Vault vault = Vault.CreateInMemory(_clock);
        using var reader = new VaultKeyService(vault, timeProvider: _clock);
        using var writer = new VaultKeyService(vault, timeProvider: _clock);
        for (int i = 0; i < 5; i++)
        {
            KeyMetadata key = await writer.CreateKeyAsync("new " + i);
            byte[] blob = (await writer.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new byte[] { (byte)i } })).CiphertextBlob.ToArray();

            DecryptResponse decrypted = await reader.DecryptAsync(new DecryptRequest { CiphertextBlob = blob });

            Assert.Equal([(byte)i], decrypted.Plaintext.ToArray());
        }
    }

    [Fact]
    public async Task Disposing_zeroes_every_key_s_material_and_empties_the_table()
    {
        var kms = new InMemoryKeyService(timeProvider: _clock);
        KeyMetadata key = await RotatingKey(kms, 90);
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/gone", TargetKeyId = key.KeyId });
        await kms.CreateGrantAsync(new CreateGrantRequest { KeyId = key.KeyId, GranteePrincipal = "arn:aws:iam::111122223333:role/app", Operations = [GrantOperation.Decrypt] });
        KeyTable table = kms.Table;
        KeyMaterial material = Assert.Single(table.FindKeyUntouched(key.KeyId)!.Materials);
        Assert.Equal("KeyTable(us-east-1, 111122223333, 1 keys)", table.ToString());

        kms.Dispose();

        Assert.True(material.Secret.IsClosed);
        Assert.Equal((0, 0), (table.KeyCount, table.AliasCount));
        Assert.Empty(table.Grants);
        Assert.Null(table.NextDueTime);
        _clock.Advance(TimeSpan.FromDays(90));
        await table.RunDueAsync(default); // nothing is due on a disposed table
    }
}
