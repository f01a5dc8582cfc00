using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;
using Vaultlib.Scheduling;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Scheduling;

/// <summary>
/// The scheduler's telemetry: each run of due work is counted, timed against its due time on the scheduler's clock and
/// traced as a trace of its own, with the rotation and its commit under it; failed work is counted by error type.
/// </summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class SchedulerTelemetryTests : IDisposable
{
    private readonly TelemetryRecorder _recorder = new();
    private readonly FakeTimeProvider _clock = TestData.NewClock();

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task A_due_rotation_is_counted_with_its_lag_and_traced_with_the_rotation_and_its_commit_under_the_run()
    {
        using var kms = new InMemoryKeyService(new VaultlibOptions { Region = "ap-southeast-4" }, _clock);
        using VaultlibScheduler scheduler = new VaultlibScheduler(_clock).Add(kms.ScheduledWork).Start();
        KeyMetadata key = await kms.CreateKeyAsync("rotating");
        await kms.EnableKeyRotationAsync(new EnableKeyRotationRequest { KeyId = key.KeyId, RotationPeriodInDays = 90 });

        // An ambient span when the clock moves must not adopt the scheduled work: it is a trace of its own.
        using (Activity unrelated = TelemetryRecorder.StartRoot("unrelated"))
        {
            _clock.Advance(TimeSpan.FromDays(90) + TimeSpan.FromMinutes(5));
        }

        await scheduler.WhenIdleAsync();

        string work = kms.ScheduledWork.Name;
        Activity run = Assert.Single(_recorder.Spans(s => s.DisplayName == "vaultlib.scheduler.run" && Equals(s.GetTagItem("vaultlib.scheduler.work"), work)));
        Assert.Equal(default, run.ParentSpanId);
        Assert.Equal("kms", run.GetTagItem("vaultlib.scheduler.service"));
        Activity rotation = Assert.Single(_recorder.Spans(s => s.TraceId == run.TraceId && s.DisplayName == "KMS rotation RotateKey"));
        Assert.Equal(run.SpanId, rotation.ParentSpanId);
        Assert.Equal("RotateKey", rotation.GetTagItem("vaultlib.rotation.step"));
        Activity commit = Assert.Single(_recorder.Spans(s => s.TraceId == run.TraceId && s.DisplayName == "vaultlib.store.commit"));
        Assert.Equal(rotation.SpanId, commit.ParentSpanId);

        TelemetryRecorder.Measurement due = Assert.Single(_recorder.Of("vaultlib.scheduler.due"));
        Assert.Equal(("kms", 1.0), ((string)due.Tags["vaultlib.scheduler.service"]!, due.Value));
        Assert.Equal(300.0, Assert.Single(_recorder.Of("vaultlib.scheduler.lag")).Value);
        Assert.Empty(_recorder.Of("vaultlib.scheduler.failures"));
        Assert.Equal(2, kms.DangerousExportAllMaterialForTests(key.KeyId).Length);
    }

    [Fact]
    public async Task Failed_work_is_counted_by_its_error_type_and_its_span_fails()
    {
        var failing = new FailingWork(_clock.GetUtcNow());
        using VaultlibScheduler scheduler = new VaultlibScheduler(_clock) { RetryDelay = TimeSpan.FromHours(1) }.Add(failing).Start();
        await scheduler.WhenIdleAsync();

        TelemetryRecorder.Measurement failure = Assert.Single(_recorder.Of("vaultlib.scheduler.failures"));
        Assert.Equal("telemetry-test", failure.Tags["vaultlib.scheduler.service"]);
        Assert.Equal(nameof(InvalidOperationException), failure.Tags["error.type"]);
        Activity run = Assert.Single(_recorder.Spans(s => s.DisplayName == "vaultlib.scheduler.run" && Equals(s.GetTagItem("vaultlib.scheduler.work"), failing.Name)));
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.DoesNotContain("do-not-log-this", _recorder.Everything(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_goes_through_all_work_but_counts_and_traces_only_the_work_that_fell_due()
    {
        var due = new FailingWork(_clock.GetUtcNow(), fail: false);
        var later = new FailingWork(_clock.GetUtcNow().AddDays(1), fail: false, name: "telemetry-test/later");
        using VaultlibScheduler scheduler = new VaultlibScheduler(_clock).Add(later).Add(due).Start();
        await scheduler.WhenIdleAsync();

        Assert.Equal(1, due.Runs);
        Assert.Equal(1, later.Runs); // asked, applied nothing
        Assert.Single(_recorder.Of("vaultlib.scheduler.due"));
        Assert.Equal(0.0, Assert.Single(_recorder.Of("vaultlib.scheduler.lag")).Value);
        Assert.Equal(due.Name, Assert.Single(_recorder.Spans(s => s.DisplayName == "vaultlib.scheduler.run")).GetTagItem("vaultlib.scheduler.work"));
    }

    /// <summary>Work due at <paramref name="due"/> that throws when <paramref name="fail"/>, else is done once it ran while due.</summary>
    private sealed class FailingWork(DateTimeOffset due, bool fail = true, string name = "telemetry-test/failing") : IScheduledWork
    {
        private bool _done;

        public int Runs { get; private set; }

        public string Name => name;

        public DateTimeOffset? NextDueTime => _done ? null : due;

        public event EventHandler? DueTimeChanged
        {
            add { }
            remove { }
        }

        public ValueTask RunDueAsync(CancellationToken cancellationToken)
        {
            Runs++;
            if (fail)
            {
                throw new InvalidOperationException("do-not-log-this");
            }

            _done = due <= TestData.Epoch;
            return ValueTask.CompletedTask;
        }
    }
}
