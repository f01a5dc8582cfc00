using System.Collections.Concurrent;
using System.Security.Cryptography;
using Vaultlib.Internal;

namespace Vaultlib.Secrets;

/// <summary>
/// Ready AES-GCM instances for the versions read lately, so that a GetSecretValue does not set up an AES key
/// schedule for each read (about 1 µs of a read's ~8 µs; a KMS Decrypt costs ~5 µs).
/// <para>
/// This is not a cache of data keys that stands in for KMS: an instance is handed out only for the data key that
/// KMS has just decrypted for the caller in the same call, compared in constant time with the one the instance was
/// made from, so every read still needs the caller's <c>kms:Decrypt</c> and leaves KMS's audit record. An entry
/// belongs to one sealed value (the version's stored bytes, by reference), so a version sealed again under another
/// key, or read back from the store, gets an entry of its own. Entries are dropped, their data key zeroed and their
/// instance disposed (OpenSSL cleanses the schedule), when their sealed value leaves the secret, when the secret is
/// deleted, when more than <see cref="MaxEntries"/> are held, and when the table is disposed.
/// </para>
/// </summary>
internal sealed class SecretCiphers : IDisposable
{
    /// <summary>The most sealed values held at once; past it, one is dropped for each new one.</summary>
    public const int MaxEntries = 1024;
    private const int TagLength = 16;

    private readonly ConcurrentDictionary<byte[], Entry> _entries = new(ReferenceEqualityComparer.Instance);
    private volatile bool _disposed;

    /// <summary>How many sealed values are held now.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// An AES-GCM instance keyed with <paramref name="dataKey"/>, which KMS has just decrypted for
    /// <paramref name="sealedValue"/> (a version's stored bytes) of the secret <paramref name="secretArn"/>; give it
    /// back with <see cref="Lease.Dispose"/>.
    /// </summary>
    public Lease Rent(string secretArn, byte[] sealedValue, ReadOnlySpan<byte> dataKey)
    {
        if (_entries.TryGetValue(sealedValue, out Entry? entry) && entry.Matches(dataKey))
        {
            // Busy (another read holds the ready one): a new instance, kept by the entry if it has none when returned.
            return new Lease(entry, entry.TryTake() ?? new AesGcm(dataKey, TagLength));
        }

        var gcm = new AesGcm(dataKey, TagLength);
        var created = new Entry(secretArn, SecretBuffer.Copy(dataKey));
        if (_disposed || !_entries.TryAdd(sealedValue, created))
        {
            // Disposed, raced, or another data key for this sealed value (which KMS never gives): used once, the entry left as it is.
            created.Dispose();
            return new Lease(null, gcm);
        }

        if (_disposed)
        {
            Remove(sealedValue); // disposed while it was being added
        }
        else
        {
            Trim(sealedValue);
        }

        return new Lease(created, gcm);
    }

    /// <summary>Drops the entries of <paramref name="secretArn"/> whose sealed value is not one of <paramref name="keep"/>'s (all, when null).</summary>
    public void Forget(string secretArn, IReadOnlyCollection<SecretVersionRecord>? keep)
    {
        foreach (KeyValuePair<byte[], Entry> held in _entries)
        {
            if (held.Value.SecretArn == secretArn && (keep is null || !keep.Any(v => ReferenceEquals(v.Ciphertext, held.Key))))
            {
                Remove(held.Key);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (byte[] key in _entries.Keys)
        {
            Remove(key);
        }
    }

    private void Trim(byte[] added)
    {
        foreach (byte[] key in _entries.Keys)
        {
            if (_entries.Count <= MaxEntries)
            {
                return;
            }

            if (!ReferenceEquals(key, added))
            {
                Remove(key);
            }
        }
    }

    private void Remove(byte[] key)
    {
        if (_entries.TryRemove(key, out Entry? removed))
        {
            removed.Dispose();
        }
    }

    /// <summary>A rented instance; disposing it gives the instance back to its entry (or disposes it, when the entry has one or is gone).</summary>
    public readonly struct Lease(Entry? entry, AesGcm gcm) : IDisposable
    {
        public AesGcm Gcm => gcm;

        public void Dispose()
        {
            if (entry is null || !entry.TryPut(gcm))
            {
                gcm.Dispose();
            }
        }
    }

    /// <summary>One sealed value's data key and its one ready instance (taken by one read at a time; others make their own).</summary>
    public sealed class Entry(string secretArn, SecretBuffer dataKey) : IDisposable
    {
        private AesGcm? _ready;
        private volatile bool _disposed;

        public string SecretArn => secretArn;

        public bool Matches(ReadOnlySpan<byte> candidate)
        {
            try
            {
                using SecretLease lease = dataKey.Lease();
                return CryptographicOperations.FixedTimeEquals(lease.Span, candidate);
            }
            catch (ObjectDisposedException)
            {
                return false; // dropped
            }
        }

        /// <summary>The ready instance, if no other read holds it.</summary>
        public AesGcm? TryTake() => Interlocked.Exchange(ref _ready, null);

        /// <summary>Gives an instance back; false when the entry already has one or is dropped (the caller disposes it).</summary>
        public bool TryPut(AesGcm gcm)
        {
            if (_disposed || Interlocked.CompareExchange(ref _ready, gcm, null) is not null)
            {
                return false;
            }

            if (_disposed && Interlocked.Exchange(ref _ready, null) is { } late)
            {
                late.Dispose(); // dropped while this one was being given back
            }

            return true;
        }

        public void Dispose()
        {
            _disposed = true;
            Interlocked.Exchange(ref _ready, null)?.Dispose();
            dataKey.Dispose();
        }
    }
}
