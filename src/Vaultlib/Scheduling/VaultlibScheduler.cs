using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Internal;

namespace Vaultlib.Scheduling;

/// <summary>
/// Runs time-driven work when it falls due, on the injected <see cref="TimeProvider"/>: KMS
/// automatic rotations and ends of deletion windows now; parameter expirations, secret rotation
/// schedules and certificate renewals as those services arrive. One timer, armed for the earliest
/// due time of all the work it holds, re-armed whenever that changes.
/// </summary>
/// <remarks>
/// In a generic-host application it runs as an <see cref="IHostedService"/> (<c>AddVaultlib</c>
/// registers it); elsewhere it is a plain disposable object: <see cref="Start"/> it, and dispose it.
/// With a fake clock, advancing the clock makes due work run, and <see cref="WhenIdleAsync"/> waits
/// until all of it is done. Work that fails is logged and tried again after <see cref="RetryDelay"/>.
/// </remarks>
public sealed class VaultlibScheduler : IHostedService, IDisposable
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<IScheduledWork> _work = [];
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private Task _running = Task.CompletedTask;
    private bool _again;
    private bool _started;
    private bool _disposed;
    private DateTimeOffset? _retryAt;

    /// <summary>Creates a stopped scheduler on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public VaultlibScheduler(TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Scheduling.VaultlibScheduler");
        _timer = _time.CreateTimer(static state => ((VaultlibScheduler)state!).Kick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How long after a failure the failed work is tried again. Default one minute.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Adds work to run when it falls due.</summary>
    /// <exception cref="ObjectDisposedException">The scheduler has been disposed.</exception>
    public VaultlibScheduler Add(IScheduledWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _work.Add(work);
        }

        work.DueTimeChanged += OnDueTimeChanged;
        Rearm();
        return this;
    }

    /// <summary>Starts running due work (work already due runs at once).</summary>
    public VaultlibScheduler Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _started = true;
        }

        Rearm();
        return this;
    }

    /// <summary>Stops running due work (a timer that fires meanwhile starts nothing); work in progress completes.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Locals read under the gate are assigned up front (here and below), so that removing the lock's block still
        // compiles under mutation testing (docs/testing.md).
        Task running = Task.CompletedTask;
        lock (_gate)
        {
            _started = false;
            running = _running;
        }

        return running.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes once no work is running and none is due by the clock: after advancing a fake clock,
    /// await this and every rotation, deletion and expiry that fell due has happened.
    /// </summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task running = Task.CompletedTask;
            lock (_gate)
            {
                running = _running;
            }

            if (!running.IsCompleted)
            {
                await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                // Stryker disable once Statement : without it the check below runs on the finished task, and the loop comes back here the same
                continue;
            }

            if (!IsAnyDue())
            {
                return;
            }

            Kick();
            lock (_gate)
            {
                // Stryker disable once Statement,Block : reached only when the scheduler stops between the check above and the kick
                if (ReferenceEquals(_running, running))
                {
                    return; // not started, or stopped: nothing will run the due work
                }
            }
        }
    }

    /// <summary>Stops the timer; work in progress completes on its own.</summary>
    public void Dispose()
    {
        IScheduledWork[] work = [];
        lock (_gate)
        {
            // Stryker disable once all : disposing twice unsubscribes nothing more and disposes the timer again, which is allowed
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            // Stryker disable once Boolean : every path that runs work also checks _disposed
            _started = false;
            work = [.. _work];
            // Stryker disable once Statement : drops references only; a disposed scheduler never reads its list again
            _work.Clear();
        }

        foreach (IScheduledWork item in work)
        {
            item.DueTimeChanged -= OnDueTimeChanged;
        }

        // Stryker disable once Statement : a disposed scheduler's timer that fires starts nothing (Kick checks _disposed)
        _timer.Dispose();
    }

    private void OnDueTimeChanged(object? sender, EventArgs e) => Rearm();

    private bool IsAnyDue()
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            // Stryker disable once Equality : at exactly the retry time the timer fires (and runs the work) before any caller can ask
            return _started && (_retryAt is null || _retryAt <= now) && _work.Any(w => w.NextDueTime <= now);
        }
    }

    /// <summary>Runs due work on the thread pool, once at a time; a kick while running asks for one more pass.</summary>
    private void Kick()
    {
        lock (_gate)
        {
            if (!_started || _disposed)
            {
                return;
            }

            if (!_running.IsCompleted)
            {
                _again = true;
                return;
            }

            _running = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        // Scheduled work is a trace of its own, not part of whichever call happened to arm the timer.
        Activity.Current = null;
        while (true)
        {
            IScheduledWork[] work = [];
            DateTimeOffset passStarted = _time.GetUtcNow();
            lock (_gate)
            {
                _again = false;
                work = [.. _work];
            }

            bool failed = false;
            foreach (IScheduledWork item in work)
            {
                // Work not yet due still runs (it applies nothing), but only due work is counted, timed and traced.
                DateTimeOffset now = _time.GetUtcNow();
                DateTimeOffset? due = item.NextDueTime;
                Activity? run = due <= now ? SchedulerTelemetry.StartRun(item, due.GetValueOrDefault(), now) : null;
                Exception? error = null;
                try
                {
                    await item.RunDueAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    failed = true;
                    error = ex;
                    Log.ScheduledWorkFailed(_logger, item.Name, ex.GetType().Name);
                }

                SchedulerTelemetry.EndRun(run, item, error);
            }

            lock (_gate)
            {
                DateTimeOffset now = _time.GetUtcNow();
                _retryAt = failed ? now + RetryDelay : null;

                // Another pass when asked for meanwhile, or when work fell due while this one ran (the timer is not
                // armed during a pass). Work that was due when the pass began and still is was run and stays as it is
                // (another instance holds the lease, say) until it announces a change, or the retry.
                if (!_again && !_work.Any(w => w.NextDueTime > passStarted && w.NextDueTime <= now))
                {
                    break;
                }
            }
        }

        Rearm();
    }

    /// <summary>Arms the timer for the earliest due time (or the retry time after a failure).</summary>
    private void Rearm()
    {
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset? next;
        lock (_gate)
        {
            // Stryker disable once Logical,Statement,Block : arming the timer of a stopped scheduler starts nothing either (Kick checks again)
            if (!_started || _disposed)
            {
                return;
            }

            next = _work.Select(w => w.NextDueTime).Where(d => d is not null).Min();
            // Stryker disable once Equality : at due == retry either time is the same
            // (Lifted: no due time or no retry compares false.)
            if (next < _retryAt)
            {
                next = _retryAt;
            }

            if (next is null)
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                return;
            }

            // Stryker disable once Equality : a timer armed for zero fires at once, as the Kick below does
            if (next > now)
            {
                // Timers take at most about 49 days; a later due time re-arms when this one fires.
                TimeSpan wait = next.Value - now;
                // Stryker disable once Equality : at exactly 45 days both arms wait the same
                _timer.Change(wait > TimeSpan.FromDays(45) ? TimeSpan.FromDays(45) : wait, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        Kick();
    }
}
