using Microsoft.Extensions.Time.Testing;
using Vaultlib.Scheduling;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Scheduling;

/// <summary>
/// The scheduler's own timer: work runs when its due time passes with nothing but the clock moving (no
/// <see cref="VaultlibScheduler.WhenIdleAsync"/>, which would start due work itself), once at a time, and not before.
/// </summary>
public sealed class VaultlibSchedulerTimerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = TestData.NewClock();
    private readonly VaultlibScheduler _scheduler;

    public VaultlibSchedulerTimerTests() => _scheduler = new VaultlibScheduler(_clock);

    public void Dispose() => _scheduler.Dispose();

    private DateTimeOffset In(TimeSpan span) => _clock.GetUtcNow() + span;

    [Fact]
    public void Arguments_and_a_disposed_scheduler_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => _scheduler.Add(null!));
        _scheduler.Dispose();
        _scheduler.Dispose(); // twice is allowed
        Assert.Throws<ObjectDisposedException>(() => _scheduler.Add(new Work("late", null, _clock)));
        Assert.Throws<ObjectDisposedException>(() => _scheduler.Start());
    }

    [Fact]
    public async Task Work_added_to_a_running_scheduler_runs_when_its_due_time_passes_on_the_clock_alone()
    {
        _scheduler.Start();
        var work = new Work("later", In(TimeSpan.FromHours(1)), _clock);
        _scheduler.Add(work);
        Assert.Equal(0, work.Runs); // not before

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.True(await work.Applied.WaitAsync(Patience));
    }

    [Fact]
    public async Task The_earliest_of_several_due_times_arms_the_timer_even_past_the_timer_limit()
    {
        var soon = new Work("soon", In(TimeSpan.FromMinutes(10)), _clock);
        var late = new Work("late", In(TimeSpan.FromDays(100)), _clock);
        var never = new Work("never", null, _clock);
        _scheduler.Add(late).Add(never).Add(soon).Start();

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await soon.Applied.WaitAsync(Patience));

        _clock.Advance(TimeSpan.FromDays(46)); // timers wait at most 45 days, then arm again
        _clock.Advance(TimeSpan.FromDays(54));
        Assert.True(await late.Applied.WaitAsync(Patience));
        Assert.Equal(0, never.AppliedCount);
    }

    [Fact]
    public async Task Work_already_due_at_start_runs_without_the_clock_moving()
    {
        var work = new Work("overdue", _clock.GetUtcNow(), _clock);
        _scheduler.Add(work).Start();
        Assert.True(await work.Applied.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_due_time_announced_after_adding_arms_the_timer_and_a_cleared_one_disarms_it()
    {
        var work = new Work("announced", null, _clock);
        _scheduler.Add(work).Start();

        work.SetDue(In(TimeSpan.FromHours(2)));
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.True(await work.Applied.WaitAsync(Patience));

        int runs = work.Runs;
        work.SetDue(In(TimeSpan.FromHours(1)));
        work.SetDue(null);
        _clock.Advance(TimeSpan.FromHours(3));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(runs, work.Runs); // the timer was disarmed: nothing ran, not even work that is not due
    }

    [Fact]
    public async Task Work_not_yet_due_does_not_run_when_added_or_started()
    {
        var work = new Work("later", In(TimeSpan.FromHours(1)), _clock);
        _scheduler.Add(work).Start();
        await _scheduler.WhenIdleAsync();
        Assert.Equal(0, work.Runs);
    }

    [Fact]
    public async Task Work_that_became_due_without_announcing_it_is_run_by_WhenIdle()
    {
        var quiet = new Work("quiet", null, _clock);
        var other = new Work("other", null, _clock);
        _scheduler.Add(quiet).Add(other).Start();

        quiet.SetDue(_clock.GetUtcNow(), notify: false); // due exactly now
        await _scheduler.WhenIdleAsync();
        Assert.Equal(1, quiet.AppliedCount);
    }

    [Fact]
    public async Task A_stopped_scheduler_s_armed_timer_starts_nothing()
    {
        var work = new Work("stopped", In(TimeSpan.FromHours(1)), _clock);
        _scheduler.Add(work).Start();
        await _scheduler.StopAsync(CancellationToken.None);

        _clock.Advance(TimeSpan.FromHours(2));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(0, work.Runs);
    }

    [Fact]
    public void Disposing_unsubscribes_from_every_work_s_due_time_changes()
    {
        var work = new Work("watched", null, _clock);
        _scheduler.Add(work);
        Assert.Equal(1, work.Subscribers);
        _scheduler.Dispose();
        Assert.Equal(0, work.Subscribers);
    }

    [Fact]
    public async Task Work_that_falls_due_during_a_run_runs_in_a_second_pass_never_concurrently()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new Work("slow", In(TimeSpan.FromMinutes(1)), _clock) { During = release.Task };
        var next = new Work("next", In(TimeSpan.FromMinutes(2)), _clock);
        _scheduler.Add(next).Add(slow).Start(); // "next" is looked at first in a pass, when it is not yet due

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await slow.Entered.WaitAsync(Patience)); // the first pass is inside slow work
        _clock.Advance(TimeSpan.FromMinutes(1));              // the timer fires for "next" meanwhile
        release.SetResult();

        Assert.True(await next.Applied.WaitAsync(Patience));
        Assert.Equal(1, Work.MaxConcurrent(slow, next));
    }

    [Fact]
    public async Task A_past_due_time_announced_during_a_run_runs_in_another_pass()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var announced = new Work("announced", null, _clock);
        var slow = new Work("slow", In(TimeSpan.FromMinutes(1)), _clock) { During = release.Task };
        _scheduler.Add(announced).Add(slow).Start();

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await slow.Entered.WaitAsync(Patience));
        announced.SetDue(TestData.Epoch); // long past: due before this pass began; the kick asks the running pass for another
        await Task.Delay(50);              // time for a second, concurrent pass to start, were one started
        release.SetResult();

        Assert.True(await announced.Applied.WaitAsync(Patience));
        await _scheduler.WhenIdleAsync();
        Assert.Equal(1, Work.MaxConcurrent(slow, announced));
    }

    [Fact]
    public async Task A_failure_holds_every_work_back_until_the_retry_time_and_is_logged_by_name()
    {
        var logs = new CapturingLoggerProvider();
        using var scheduler = new VaultlibScheduler(_clock, logs) { RetryDelay = TimeSpan.FromMinutes(5) };
        var failing = new Work("failing", _clock.GetUtcNow(), _clock) { Failures = 1 };
        var waiting = new Work("waiting", In(TimeSpan.FromMinutes(1)), _clock);
        scheduler.Add(failing).Add(waiting).Start();
        await scheduler.WhenIdleAsync();
        Assert.Equal(1, failing.Runs);

        _clock.Advance(TimeSpan.FromMinutes(4)); // "waiting" is due, but the retry time is not
        await scheduler.WhenIdleAsync();
        Assert.Equal((1, 0), (failing.Runs, waiting.AppliedCount));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await waiting.Applied.WaitAsync(Patience));
        Assert.Equal(1, failing.AppliedCount);
        string line = Assert.Single(logs.Lines, l => l.Contains("[1400]", StringComparison.Ordinal));
        Assert.StartsWith("Error Vaultlib.Scheduling.VaultlibScheduler [1400] Scheduled work failing failed (InvalidOperationException)", line, StringComparison.Ordinal);
    }

    /// <summary>Work due at a settable time, applied once when it runs at or after it; counts its runs and its subscribers.</summary>
    private sealed class Work(string name, DateTimeOffset? due, TimeProvider clock) : IScheduledWork
    {
        private readonly Lock _gate = new();
        private EventHandler? _changed;
        private DateTimeOffset? _due = due;
        private int _inside;
        private int _maxInside;

        public string Name => name;

        public DateTimeOffset? NextDueTime
        {
            get
            {
                lock (_gate)
                {
                    return _due;
                }
            }
        }

        public int Runs { get; private set; }

        public int AppliedCount { get; private set; }

        public int Failures { get; set; }

        public Task During { get; init; } = Task.CompletedTask;

        public SemaphoreSlim Applied { get; } = new(0);

        public SemaphoreSlim Entered { get; } = new(0);

        public int Subscribers { get; private set; }

        public event EventHandler? DueTimeChanged
        {
            add
            {
                _changed += value;
                Subscribers++;
            }

            remove
            {
                _changed -= value;
                Subscribers--;
            }
        }

        public static int MaxConcurrent(params Work[] works) => works.Max(w => w._maxInside);

        public void SetDue(DateTimeOffset? due, bool notify = true)
        {
            lock (_gate)
            {
                _due = due;
            }

            if (notify)
            {
                _changed?.Invoke(this, EventArgs.Empty);
            }
        }

        public async ValueTask RunDueAsync(CancellationToken cancellationToken)
        {
            _maxInside = Math.Max(_maxInside, Interlocked.Increment(ref _inside));
            try
            {
                Runs++;
                Entered.Release();
                await During;
                if (Failures-- > 0)
                {
                    throw new InvalidOperationException("transient");
                }

                if (NextDueTime is { } at && at <= clock.GetUtcNow())
                {
                    lock (_gate)
                    {
                        _due = null;
                    }

                    AppliedCount++;
                    Applied.Release();
                }
            }
            finally
            {
                Interlocked.Decrement(ref _inside);
            }
        }
    }
}
