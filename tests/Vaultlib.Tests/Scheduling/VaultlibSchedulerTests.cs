using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Audit;
using Vaultlib.Keys;
using Vaultlib.Scheduling;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Scheduling;

/// <summary>
/// Time-driven work runs on its own when the clock passes its due time, and is audited as the
/// service's own event at that time; without a scheduler the same happens when the key is touched.
/// </summary>
public sealed class VaultlibSchedulerTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private readonly InMemoryAuditSink _audit = new();
    private readonly InMemoryKeyService _kms;
    private readonly VaultlibScheduler _scheduler;

    public VaultlibSchedulerTests()
    {
        _kms = new InMemoryKeyService(timeProvider: _clock, auditSink: _audit);
        _scheduler = new VaultlibScheduler(_clock).Add(_kms.ScheduledWork).Start();
    }

    public void Dispose()
    {
        _scheduler.Dispose();
        _kms.Dispose();
    }

    /// <summary>Material versions as the store holds them, read without touching the key through the service.</summary>
    private int MaterialVersions(string keyId) => _kms.DangerousExportAllMaterialForTests(keyId).Length;

    [Fact]
    public async Task A_key_with_rotation_enabled_rotates_at_its_due_time_untouched_and_the_audit_trail_shows_it_then()
    {
        KeyMetadata key = await _kms.CreateKeyAsync("rotating");
        await _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        DateTimeOffset due = TestData.Epoch.AddDays(90);
        Assert.Equal(due, _kms.ScheduledWork.NextDueTime);

        _clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromSeconds(1));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(1, MaterialVersions(key.KeyId));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(2, MaterialVersions(key.KeyId));

        AuditEvent rotation = Assert.Single(_audit.Query(eventName: "RotateKey"));
        Assert.Equal(due, rotation.EventTime);
        Assert.Equal("AwsServiceEvent", rotation.EventType);
        Assert.Equal("kms.amazonaws.com", rotation.EventSource);
        Assert.Equal("AWSService", rotation.UserIdentity.Type);
        Assert.Equal(key.Arn, Assert.Single(rotation.Resources).ARN);
        Assert.Equal(due.AddDays(90), _kms.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task Imported_key_material_is_deleted_at_its_ValidTo_untouched_and_the_audit_trail_shows_it_then()
    {
        DateTimeOffset validTo = TestData.Epoch.AddHours(6);
        KeyMetadata key = await ImportedKey(validTo);
        Assert.Equal(validTo, _kms.ScheduledWork.NextDueTime);

        _clock.Advance(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(1, MaterialVersions(key.KeyId));

        _clock.Advance(TimeSpan.FromSeconds(1));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(0, MaterialVersions(key.KeyId));
        AuditEvent expiry = Assert.Single(_audit.Query(eventName: "DeleteExpiredKeyMaterial"));
        Assert.Equal(validTo, expiry.EventTime);
        Assert.Equal("AwsServiceEvent", expiry.EventType);
        Assert.Equal(KeyState.PendingImport, (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.KeyState);
    }

    private Task<KeyMetadata> ImportedKey(DateTimeOffset validTo) => ImportWrapping.ImportedKeyAsync(_kms, validTo);

    private async Task<KeyState> StateOf(string keyId) =>
        (await _kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId })).KeyMetadata.KeyState;

    [Fact]
    public async Task Imported_material_that_expires_during_the_deletion_window_is_deleted_and_the_key_stays_pending_deletion()
    {
        DateTimeOffset validTo = TestData.Epoch.AddDays(2);
        KeyMetadata key = await ImportedKey(validTo);
        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        Assert.Equal(validTo, _kms.ScheduledWork.NextDueTime); // the earlier of the two

        _clock.Advance(TimeSpan.FromDays(2));
        await _scheduler.WhenIdleAsync();

        Assert.Equal(0, MaterialVersions(key.KeyId));
        Assert.Equal(validTo, Assert.Single(_audit.Query(eventName: "DeleteExpiredKeyMaterial")).EventTime);
        Assert.Equal(KeyState.PendingDeletion, _kms.Table.FindKeyUntouched(key.KeyId)!.KeyState);
        Assert.Equal(TestData.Epoch.AddDays(7), _kms.ScheduledWork.NextDueTime);

        _clock.Advance(TimeSpan.FromDays(5));
        await _scheduler.WhenIdleAsync();
        Assert.Null(_kms.Table.FindKeyUntouched(key.KeyId));
        Assert.Equal(TestData.Epoch.AddDays(7), Assert.Single(_audit.Query(eventName: "DeleteKey")).EventTime);
    }

    [Fact]
    public async Task A_deletion_window_that_ends_before_the_material_expires_purges_the_key_without_an_expiry_event()
    {
        KeyMetadata key = await ImportedKey(TestData.Epoch.AddDays(30));
        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });
        Assert.Equal(TestData.Epoch.AddDays(7), _kms.ScheduledWork.NextDueTime);

        _clock.Advance(TimeSpan.FromDays(40));
        await _scheduler.WhenIdleAsync();

        Assert.Null(_kms.Table.FindKeyUntouched(key.KeyId));
        Assert.Empty(_audit.Query(eventName: "DeleteExpiredKeyMaterial"));
        Assert.Single(_audit.Query(eventName: "DeleteKey"));
    }

    [Fact]
    public async Task Expired_material_of_a_disabled_key_leaves_it_pending_import()
    {
        KeyMetadata key = await ImportedKey(TestData.Epoch.AddHours(1));
        await _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });

        _clock.Advance(TimeSpan.FromHours(1));
        await _scheduler.WhenIdleAsync();

        Assert.Equal(KeyState.PendingImport, await StateOf(key.KeyId));
        Assert.Null(_kms.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task A_disabled_key_does_not_rotate_and_an_overdue_rotation_happens_on_enabling()
    {
        KeyMetadata key = await _kms.CreateKeyAsync("rotating");
        await _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        await _kms.DisableKeyAsync(new DisableKeyRequest { KeyId = key.KeyId });
        Assert.Null(_kms.ScheduledWork.NextDueTime);

        _clock.Advance(TimeSpan.FromDays(100));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(1, MaterialVersions(key.KeyId));
        Assert.Empty(_audit.Query(eventName: "RotateKey"));

        await _kms.EnableKeyAsync(new EnableKeyRequest { KeyId = key.KeyId }); // overdue: rotated on enabling, the next one a period later
        Assert.Equal(2, MaterialVersions(key.KeyId));
        Assert.Equal(_clock.GetUtcNow().AddDays(90), _kms.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task Listing_keys_exactly_at_the_deletion_date_leaves_out_the_purged_key()
    {
        using var kms = new InMemoryKeyService(timeProvider: _clock, auditSink: _audit);
        KeyMetadata kept = await kms.CreateKeyAsync("kept");
        KeyMetadata doomed = await kms.CreateKeyAsync("doomed");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });

        _clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromTicks(1));
        Assert.Equal(2, (await kms.ListKeysAsync(new ListKeysRequest())).Keys.Count);

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(kept.KeyId, Assert.Single((await kms.ListKeysAsync(new ListKeysRequest())).Keys).KeyId);
        Assert.Null(kms.Table.FindKeyUntouched(doomed.KeyId));
    }

    [Fact]
    public async Task A_disposed_key_service_runs_no_due_work()
    {
        var kms = new InMemoryKeyService(timeProvider: _clock, auditSink: _audit);
        KeyMetadata doomed = await kms.CreateKeyAsync("doomed");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });
        _clock.Advance(TimeSpan.FromDays(8));
        kms.Dispose();

        await kms.ScheduledWork.RunDueAsync(CancellationToken.None);

        Assert.Empty(_audit.Query(eventName: "DeleteKey"));
    }

    [Fact]
    public async Task Missed_rotations_are_caught_up_each_dated_when_it_was_due()
    {
        KeyMetadata key = await _kms.CreateKeyAsync("rotating");
        await _kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });
        _clock.Advance(TimeSpan.FromDays(200)); // one timer fire for two due rotations
        await _scheduler.WhenIdleAsync();

        Assert.Equal(3, MaterialVersions(key.KeyId));
        Assert.Equal([TestData.Epoch.AddDays(90), TestData.Epoch.AddDays(180)], _audit.Query(eventName: "RotateKey").Select(e => e.EventTime));
    }

    [Fact]
    public async Task A_key_past_its_deletion_window_is_purged_untouched()
    {
        KeyMetadata key = await _kms.CreateKeyAsync("doomed");
        await _kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/doomed", TargetKeyId = key.KeyId });
        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyId, PendingWindowInDays = 7 });

        _clock.Advance(TimeSpan.FromDays(7));
        await _scheduler.WhenIdleAsync();

        Assert.Null(_kms.Table.FindKeyUntouched(key.KeyId));
        Assert.Empty(_kms.Table.Aliases);
        AuditEvent deletion = Assert.Single(_audit.Query(eventName: "DeleteKey"));
        Assert.Equal(TestData.Epoch.AddDays(7), deletion.EventTime);
        Assert.Null(_kms.ScheduledWork.NextDueTime);
    }

    [Fact]
    public async Task Without_a_scheduler_the_same_happens_when_the_key_is_next_touched()
    {
        using var kms = new InMemoryKeyService(timeProvider: _clock, auditSink: _audit);
        KeyMetadata rotating = await kms.CreateKeyAsync("rotating");
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = rotating.KeyId, RotationPeriodInDays = 90 });
        KeyMetadata doomed = await kms.CreateKeyAsync("doomed");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });

        _clock.Advance(TimeSpan.FromDays(100));
        Assert.Single(kms.DangerousExportAllMaterialForTests(rotating.KeyId)); // nothing ran yet
        Assert.NotNull(kms.Table.FindKeyUntouched(doomed.KeyId));

        await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = rotating.KeyId });
        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = doomed.KeyId }));

        Assert.Equal(2, kms.DangerousExportAllMaterialForTests(rotating.KeyId).Length);
        Assert.Equal(TestData.Epoch.AddDays(90), Assert.Single(_audit.Query(eventName: "RotateKey")).EventTime);
        Assert.Equal(TestData.Epoch.AddDays(7), Assert.Single(_audit.Query(eventName: "DeleteKey")).EventTime);
    }

    [Fact]
    public async Task Work_already_due_when_the_scheduler_starts_runs_at_once()
    {
        using var kms = new InMemoryKeyService(timeProvider: _clock);
        KeyMetadata doomed = await kms.CreateKeyAsync("doomed");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });
        _clock.Advance(TimeSpan.FromDays(8));

        using VaultlibScheduler scheduler = new VaultlibScheduler(_clock).Add(kms.ScheduledWork).Start();
        await scheduler.WhenIdleAsync();

        Assert.Null(kms.Table.FindKeyUntouched(doomed.KeyId));
    }

    [Fact]
    public async Task A_stopped_scheduler_runs_nothing_and_WhenIdle_does_not_wait_for_it()
    {
        KeyMetadata doomed = await _kms.CreateKeyAsync("doomed");
        await _kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });
        await _scheduler.StopAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromDays(8));
        await _scheduler.WhenIdleAsync();

        Assert.NotNull(_kms.Table.FindKeyUntouched(doomed.KeyId));
    }

    [Fact]
    public async Task Failing_work_is_retried_after_the_retry_delay()
    {
        var work = new FlakyWork(_clock, failures: 1);
        using VaultlibScheduler scheduler = new VaultlibScheduler(_clock) { RetryDelay = TimeSpan.FromMinutes(5) }.Add(work).Start();
        await scheduler.WhenIdleAsync();
        Assert.Equal(1, work.Runs);
        Assert.False(work.Done);

        _clock.Advance(TimeSpan.FromMinutes(5));
        await scheduler.WhenIdleAsync();
        Assert.True(work.Done);
    }

    [Fact]
    public async Task AddVaultlib_runs_the_scheduler_as_a_hosted_service_on_the_container_clock()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddVaultlib();
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHostedService hosted = Assert.Single(provider.GetServices<IHostedService>());
        var scheduler = Assert.IsType<VaultlibScheduler>(hosted);
        IKeyService kms = provider.GetRequiredService<IKeyService>();
        KeyMetadata doomed = await kms.CreateKeyAsync("doomed");
        await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = doomed.KeyId, PendingWindowInDays = 7 });

        await hosted.StartAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(7));
        await scheduler.WhenIdleAsync();
        await hosted.StopAsync(CancellationToken.None);

        Assert.Null(((KeyService)kms).Table.FindKeyUntouched(doomed.KeyId));
    }

    private sealed class FlakyWork(TimeProvider clock, int failures) : IScheduledWork
    {
        private readonly DateTimeOffset _due = clock.GetUtcNow();
        private int _failuresLeft = failures;

        public string Name => "flaky";

        public int Runs { get; private set; }

        public bool Done { get; private set; }

        public DateTimeOffset? NextDueTime => Done ? null : _due;

        public event EventHandler? DueTimeChanged;

        public ValueTask RunDueAsync(CancellationToken cancellationToken)
        {
            Runs++;
            if (_failuresLeft-- > 0)
            {
                throw new InvalidOperationException("transient");
            }

            Done = true;
            DueTimeChanged?.Invoke(this, EventArgs.Empty);
            return ValueTask.CompletedTask;
        }
    }
}
