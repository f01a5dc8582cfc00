namespace Vaultlib.Internal;

/// <summary>
/// Waits on a value task for the synchronous envelope API. Keyrings and materials managers are asynchronous; those
/// that do no I/O (raw keyrings, cache hits) complete at once and cost nothing here, and the rest block the calling
/// thread, as the AWS Encryption SDKs' synchronous APIs do. Vaultlib's awaits use <c>ConfigureAwait(false)</c>, so no
/// synchronization context is needed to finish.
/// </summary>
internal static class Blocking
{
    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
