namespace Vaultlib.Scheduling;

/// <summary>
/// Work that falls due on a clock: a service's automatic rotations, ends of deletion windows,
/// expirations and renewals. A <see cref="VaultlibScheduler"/> runs it when it falls due.
/// Implementations apply the same changes lazily when their resources are touched, so behaviour is
/// the same with or without a scheduler.
/// </summary>
public interface IScheduledWork
{
    /// <summary>A name for logs, e.g. <c>kms us-east-1 111122223333</c>.</summary>
    string Name { get; }

    /// <summary>When the earliest pending work falls due; null when nothing is pending.</summary>
    DateTimeOffset? NextDueTime { get; }

    /// <summary>Raised when <see cref="NextDueTime"/> may have changed (a rotation enabled, a deletion scheduled).</summary>
    event EventHandler? DueTimeChanged;

    /// <summary>Applies every change that has fallen due by the work's clock, each dated when it was due.</summary>
    ValueTask RunDueAsync(CancellationToken cancellationToken);
}
