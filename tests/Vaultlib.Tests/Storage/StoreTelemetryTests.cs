using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;
using Vaultlib.Storage;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Storage;

/// <summary>
/// The storage layer's telemetry: every commit's latency, the delay with which another instance's changes reach this
/// one through the change feed, and each change of scheduler lease holder; attributes name the service, not a record.
/// </summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class StoreTelemetryTests : IDisposable
{
    private readonly TelemetryRecorder _recorder = new();
    private readonly FakeTimeProvider _clock = TestData.NewClock();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Every_commit_is_timed_and_named_by_its_service_only()
    {
        using var temp = new TempDirectory();
        using VaultRootKey rootKey = VaultRootKey.FromBytes(TestData.RandomBytes(32));
        using Vault vault = Vault.OpenSqlite(temp.Combine("vault.db"), rootKey, timeProvider: _clock);
        using var kms = new VaultKeyService(vault, timeProvider: _clock);
        await kms.CreateKeyAsync("timed");

        List<TelemetryRecorder.Measurement> commits = _recorder.Of("vaultlib.store.commit.duration");
        Assert.NotEmpty(commits);
        Assert.All(commits, c => Assert.Equal("kms", c.Tags["vaultlib.store.service"]));
        Assert.All(commits, c => Assert.InRange(c.Value, 0, 60));
        Assert.All(commits, c => Assert.False(c.Tags.ContainsKey("error.type")));
    }

    [Fact]
    public async Task A_failed_commit_is_timed_with_its_error_code()
    {
        using Vault vault = Vault.CreateInMemory(_clock);
        await Assert.ThrowsAsync<RecordConflictException>(() => vault.Records("kms/us-east-1/111122223333").CommitAsync([new PlainWrite("keys", "k", 5, new byte[] { 1 })], CancellationToken.None).AsTask());

        TelemetryRecorder.Measurement commit = Assert.Single(_recorder.Of("vaultlib.store.commit.duration"));
        Assert.Equal("kms", commit.Tags["vaultlib.store.service"]);
        Assert.Equal("ConflictException", commit.Tags["error.type"]);
    }

    [Fact]
    public async Task Taking_and_losing_the_scheduler_lease_are_counted_once_each_and_keeping_it_is_not()
    {
        using Vault vault = Vault.CreateInMemory(_clock);
        using var first = new VaultKeyService(vault, timeProvider: _clock);
        using var second = new VaultKeyService(vault, timeProvider: _clock);

        Assert.True(await first.Table.TryLeadSchedulerAsync(TimeSpan.FromSeconds(30), default));
        Assert.True(await first.Table.TryLeadSchedulerAsync(TimeSpan.FromSeconds(30), default)); // renewed: no change
        Assert.False(await second.Table.TryLeadSchedulerAsync(TimeSpan.FromSeconds(30), default)); // never held: no change
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.True(await second.Table.TryLeadSchedulerAsync(TimeSpan.FromSeconds(30), default));
        Assert.False(await first.Table.TryLeadSchedulerAsync(TimeSpan.FromSeconds(30), default));

        Assert.Equal(
            ["acquired", "acquired", "lost"],
            _recorder.Of("vaultlib.store.lease.changes").Select(m => (string)m.Tags["vaultlib.lease.change"]!));
        Assert.All(_recorder.Of("vaultlib.store.lease.changes"), m => Assert.Equal("kms", m.Tags["vaultlib.store.service"]));
    }

    [Fact]
    public async Task A_change_another_instance_committed_is_reported_with_its_delay_when_it_reaches_this_one()
    {
        using Vault vault = Vault.CreateInMemory(_clock);
        using var writer = new VaultKeyService(vault, timeProvider: _clock);
        using var reader = new VaultKeyService(vault, timeProvider: _clock);
        KeyMetadata key = await writer.CreateKeyAsync("followed");
        _clock.Advance(TimeSpan.FromSeconds(3));

        // The reader's feed follower, or its catch-up on a miss, applies the writer's commit.
        Assert.Equal(key.Arn, (await reader.DescribeKeyAsync(new DescribeKeyRequest { KeyId = key.KeyId })).KeyMetadata.Arn);

        List<TelemetryRecorder.Measurement> delays = _recorder.Of("vaultlib.store.change_feed.delay");
        Assert.NotEmpty(delays);
        Assert.All(delays, d => Assert.Equal("kms", d.Tags["vaultlib.store.service"]));
        Assert.All(delays, d => Assert.True(d.Value is 0 or 3, $"delay {d.Value}"));
    }
}
