using System.Security.Cryptography;

namespace Vaultlib.Storage;

/// <summary>
/// The pause before a writer that lost a compare-and-swap race with another instance tries again:
/// random, and growing with each loss, so that writers racing for the same records spread out
/// instead of colliding again in lock-step (the loser must catch up before it retries, the winner
/// need not, so without a pause one writer can lose every round).
/// </summary>
internal static class ConflictBackoff
{
    /// <summary>How many times a commit of the sealed manifest tries before a lost race or a moving read is reported (the store's <see cref="ServiceRecords"/> loops; a table's own retries of its work wrap them).</summary>
    public const int MaxAttempts = 64;

    /// <summary>Waits up to 2^<paramref name="attempt"/> milliseconds, at most 100, on the system clock (a contention pause, not service time).</summary>
    // Stryker disable all : the length of a random pause no test can observe; the retries it spaces are tested by the shared-vault races
    public static Task DelayAsync(int attempt, CancellationToken cancellationToken)
    {
        int ceiling = attempt >= 7 ? 100 : Math.Min(100, 1 << attempt);
        return Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(1, ceiling + 1)), TimeProvider.System, cancellationToken);
    }
    // Stryker restore all
}
