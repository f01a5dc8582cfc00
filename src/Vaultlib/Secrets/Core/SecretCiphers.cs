using System.Collections.Concurrent;
using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Keys;

namespace Vaultlib.Secrets;

/// <summary>
/// Ready AES-GCM instances for the versions read lately, so that a GetSecretValue does not set up an AES key
/// schedule for each read (about 1.7 µs of a read's ~8 µs; a KMS Decrypt costs ~5 µs).
/// <para>
/// This is not a cache of data keys that stands in for KMS: an instance is handed out only for the data key that
/// KMS has just decrypted for the caller in the same call, compared in constant time with the one the instance was
/// made from, so every read still needs the caller's <c>kms:Decrypt</c> and leaves KMS's audit record. A version
/// whose data key changed (its secret moved to another KMS key) gets a new entry. Entries are dropped, their data
/// key zeroed and their instances disposed (OpenSSL cleanses the schedule), when the version leaves the secret, when
/// the secret is deleted, when more than <see cref="MaxEntries"/> versions are held, and when the table is disposed.
/// </para>
/// </summary>
internal sealed class SecretCiphers : IDisposable
{
    /// <summary>The most versions held at once; past it, one is dropped for each new one.</summary>
    public const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<(string Arn, string VersionId), Entry> _entries = new();
    private volatile bool _disposed;

    /// <summary>How many versions are held now.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// An AES-GCM instance keyed with <paramref name="dataKey"/> (just decrypted by KMS for this version); give it back
    /// with <see cref="Lease.Dispose"/>.
    /// </summary>
    public Lease Rent(string secretArn, string versionId, ReadOnlySpan<byte> dataKey)
    {
        var id = (secretArn, versionId);
        if (_entries.TryGetValue(id, out Entry? entry) && entry.Matches(dataKey))
        {
            try
            {
                return new Lease(entry.Pool, entry.Pool.Rent());
            }
            catch (ObjectDisposedException)
            {
                // dropped since the lookup: make a new one below
            }
        }

        var created = new Entry(SecretBuffer.Copy(dataKey));
        AesGcm gcm = created.Pool.Rent();
        if (_disposed)
        {
            created.Dispose();
            return new Lease(null, gcm);
        }

        if (entry is not null && _entries.TryUpdate(id, created, entry))
        {
            entry.Dispose();
        }
        else if (!_entries.TryAdd(id, created))
        {
            created.Dispose(); // another read added it first; this one's instance is disposed on return
            return new Lease(null, gcm);
        }

        Trim(id);
        return new Lease(created.Pool, gcm);
    }

    /// <summary>Drops the entries of <paramref name="secretArn"/>'s versions not in <paramref name="keep"/> (all, when null).</summary>
    public void Forget(string secretArn, IReadOnlyCollection<SecretVersionRecord>? keep)
    {
        if (_entries.IsEmpty)
        {
            return;
        }

        foreach ((string Arn, string VersionId) id in _entries.Keys)
        {
            if (id.Arn == secretArn && (keep is null || !keep.Any(v => v.VersionId == id.VersionId)))
            {
                Remove(id);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach ((string Arn, string VersionId) id in _entries.Keys)
        {
            Remove(id);
        }
    }

    private void Trim((string, string) added)
    {
        foreach ((string Arn, string VersionId) id in _entries.Keys)
        {
            if (_entries.Count <= MaxEntries)
            {
                return;
            }

            if (id != added)
            {
                Remove(id);
            }
        }
    }

    private void Remove((string, string) id)
    {
        if (_entries.TryRemove(id, out Entry? removed))
        {
            removed.Dispose();
        }
    }

    /// <summary>A rented instance; disposing it returns the instance (or disposes it, when its entry is gone).</summary>
    public readonly struct Lease(AesGcmPool? pool, AesGcm gcm) : IDisposable
    {
        public AesGcm Gcm => gcm;

        public void Dispose()
        {
            if (pool is null)
            {
                gcm.Dispose();
            }
            else
            {
                pool.Return(gcm);
            }
        }
    }

    private sealed class Entry(SecretBuffer dataKey) : IDisposable
    {
        public AesGcmPool Pool { get; } = new(dataKey);

        public bool Matches(ReadOnlySpan<byte> candidate)
        {
            if (!dataKey.TryAddReference())
            {
                return false; // being dropped
            }

            try
            {
                using SecretLease lease = dataKey.Lease();
                return CryptographicOperations.FixedTimeEquals(lease.Span, candidate);
            }
            finally
            {
                dataKey.ReleaseReference();
            }
        }

        public void Dispose()
        {
            Pool.Dispose();
            dataKey.Dispose();
        }
    }
}
