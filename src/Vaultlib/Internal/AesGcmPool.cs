using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Vaultlib.Internal;

/// <summary>
/// Ready <see cref="AesGcm"/> instances for one key (a version of a KMS key's material, a vault's derived
/// record key), so that an Encrypt or Decrypt does not set up the AES key schedule each time (about 4 µs of ~7 µs). An
/// <see cref="AesGcm"/> is not safe for concurrent use, so each call rents one and returns it;
/// <see cref="ConcurrentBag{T}"/> keeps them per thread. Disposing the pool disposes every idle
/// instance (OpenSSL cleanses its key schedule); one rented at that moment is disposed on return.
/// </summary>
internal sealed class AesGcmPool(SecretBuffer key) : IDisposable
{
    private const int TagSize = 16;
    private static readonly int s_maxIdle = Environment.ProcessorCount * 2;
    private readonly ConcurrentBag<AesGcm> _idle = [];
    private volatile bool _disposed;

    /// <summary>An instance keyed with the material, given back when the lease is disposed (<c>using</c>).</summary>
    /// <exception cref="ObjectDisposedException">The material has been released (its key was purged).</exception>
    public Lease Rent() => new(this, Take());

    private AesGcm Take()
    {
        if (!_disposed && _idle.TryTake(out AesGcm? gcm))
        {
            return gcm;
        }

        using SecretLease lease = key.Lease();
        return new AesGcm(lease.Span, TagSize);
    }

    private void Return(AesGcm gcm)
    {
        if (_disposed || _idle.Count >= s_maxIdle)
        {
            gcm.Dispose();
            return;
        }

        _idle.Add(gcm);
        if (_disposed && _idle.TryTake(out AesGcm? late))
        {
            late.Dispose(); // disposed while this one was being returned
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out AesGcm? gcm))
        {
            gcm.Dispose();
        }
    }

    /// <summary>A rented <see cref="AesGcm"/>; disposing it returns the instance to its pool.</summary>
    public readonly ref struct Lease(AesGcmPool pool, AesGcm cipher)
    {
        /// <summary>The rented instance; not to be used after the lease is disposed.</summary>
        public AesGcm Cipher { get; } = cipher;

        /// <summary>Returns the instance to the pool.</summary>
        public void Dispose() => pool.Return(Cipher);
    }
}
