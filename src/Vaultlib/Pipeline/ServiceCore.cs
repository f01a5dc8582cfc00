using Vaultlib.Authorization;

namespace Vaultlib.Pipeline;

/// <summary>
/// The state one service instance shares among its façades and operation handlers: its region and
/// account, its clock, its pipeline, and whether it has been disposed.
/// </summary>
internal abstract class ServiceCore : IDisposable
{
    private int _disposed;

    protected ServiceCore(VaultlibOptions options, TimeProvider time)
    {
        Options = options;
        Time = time;
        AccountRoot = CallerIdentity.AccountRoot(options);
    }

    /// <summary>The account root: the caller of requests that name none (made once, as the service's ARNs are).</summary>
    public CallerIdentity AccountRoot { get; }

    /// <summary>The region and account this service's ARNs name.</summary>
    public VaultlibOptions Options { get; }

    /// <summary>The service's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The current time on <see cref="Time"/>.</summary>
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Whether <see cref="Dispose()"/> has run.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Throws <see cref="ObjectDisposedException"/> naming the service once it is disposed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Releases the state once; later calls do nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            DisposeCore();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the service's resources (key material, store handles).</summary>
    protected abstract void DisposeCore();
}
