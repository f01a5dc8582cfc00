using Vaultlib.Internal;
using Vaultlib.Scheduling;

namespace Vaultlib.Keys;

/// <summary>The time-driven part of the key table: automatic rotation and the end of deletion windows.</summary>
internal sealed partial class KeyTable
{
    /// <inheritdoc/>
    public DateTimeOffset? NextDueTime
    {
        get
        {
            DateTimeOffset? earliest = null;
            foreach (KeyRecord key in _keys.Values)
            {
                if (NextDue(key) is { } due && (earliest is null || due < earliest))
                {
                    earliest = due;
                }
            }

            return earliest;
        }
    }

    /// <inheritdoc/>
    public ValueTask RunDueAsync(CancellationToken cancellationToken)
    {
        if (IsDisposed)
        {
            return ValueTask.CompletedTask;
        }

        DateTimeOffset now = Now;
        foreach (KeyRecord key in _keys.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsDue(key, now))
            {
                ApplyDue(key.KeyId, now);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>When the key next changes by itself: its deletion date, or its next rotation while enabled.</summary>
    private static DateTimeOffset? NextDue(KeyRecord key) => key.KeyState switch
    {
        KeyState.PendingDeletion => key.DeletionDate,
        KeyState.Enabled when key.RotationEnabled => key.NextRotationDate,
        _ => null,
    };

    private static bool IsDue(KeyRecord key, DateTimeOffset now) => NextDue(key) is { } due && due <= now;

    /// <summary>
    /// Applies every change of <paramref name="keyId"/> that has fallen due by <paramref name="now"/>:
    /// each missed rotation, dated when it was due, or the purge at the end of the deletion window.
    /// Each is recorded as KMS records it (<c>RotateKey</c>, <c>DeleteKey</c>), at its due time.
    /// </summary>
    private KeyRecord? ApplyDue(string keyId, DateTimeOffset now)
    {
        lock (_writeGate)
        {
            if (!_keys.TryGetValue(keyId, out KeyRecord? key))
            {
                return null;
            }

            if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
            {
                Purge(key);
                return null;
            }

            KeyRecord updated = key;
            var rotations = new List<DateTimeOffset>();
            while (updated.KeyState == KeyState.Enabled && updated.RotationEnabled && updated.NextRotationDate is { } due && due <= now)
            {
                updated = Rotate(updated, RotationType.AUTOMATIC, due);
                rotations.Add(due);
            }

            if (!ReferenceEquals(updated, key))
            {
                Publish(updated);
                foreach (DateTimeOffset at in rotations)
                {
                    Pipeline.Audit?.RecordServiceEvent("kms", "RotateKey", updated.Arn, at);
                }
            }

            return updated;
        }
    }

    /// <summary>Deletes a key whose window has ended: its aliases, its grants, its record, and (last) its material. Callers hold the write gate.</summary>
    private void Purge(KeyRecord key)
    {
        foreach (AliasRecord alias in _aliases.Values.Where(a => a.TargetKeyId == key.KeyId).ToArray())
        {
            _store.Delete(AliasesCollection, alias.AliasName);
            _aliases.TryRemove(alias.AliasName, out _);
        }

        foreach (GrantRecord grant in _grants.Values.Where(g => g.KeyId == key.KeyId).ToArray())
        {
            _store.Delete(GrantsCollection, grant.GrantId);
            _grants.TryRemove(grant.GrantId, out GrantRecord? _);
        }

        _store.Delete(KeysCollection, key.KeyId);
        _keys.TryRemove(key.KeyId, out _);
        Log.KeyPurged(_logger, key.Arn, key.DeletionDate!.Value);
        Pipeline.Audit?.RecordServiceEvent("kms", "DeleteKey", key.Arn, key.DeletionDate!.Value);
        foreach (KeyMaterial material in key.Materials)
        {
            // SafeHandle reference counting defers the zeroing until in-flight operations end.
            material.Secret.Dispose();
        }

        DueTimeChanged?.Invoke(this, EventArgs.Empty);
    }

    private void SweepExpired()
    {
        DateTimeOffset now = Now;
        foreach (KeyRecord key in _keys.Values)
        {
            if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
            {
                ApplyDue(key.KeyId, now);
            }
        }
    }
}
