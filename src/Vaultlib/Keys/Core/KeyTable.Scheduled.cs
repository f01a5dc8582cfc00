using System.Diagnostics;
using Vaultlib.Internal;
using Vaultlib.Scheduling;

namespace Vaultlib.Keys;

/// <summary>The time-driven part of the key table: automatic rotation and the end of deletion windows.</summary>
internal sealed partial class KeyTable
{
    /// <inheritdoc/>
    public DateTimeOffset? NextDueTime => _keys.Values.Min(NextDue); // null when no key has anything due

    /// <summary>
    /// Applies every change that has fallen due, on the one instance that holds this service's
    /// scheduler lease in the vault (renewed on every run, passed on when its holder stops).
    /// </summary>
    public async ValueTask RunDueAsync(CancellationToken cancellationToken)
    {
        // A disposed view holds no keys, so nothing is due there.
        DateTimeOffset now = Now;
        string[] due = [.. _keys.Values.Where(k => IsDue(k, now)).Select(k => k.KeyId)];
        if (due.Length == 0
            || !await TryLeadSchedulerAsync(LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (string keyId in due)
        {
            await ApplyDueAsync(keyId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// When the key next changes by itself: the end of its deletion window, its next rotation while
    /// enabled (a replica's rotations come from its primary), or the expiry of imported material.
    /// </summary>
    private static DateTimeOffset? NextDue(KeyRecord key)
    {
        DateTimeOffset? due = key.KeyState == KeyState.PendingDeletion ? key.DeletionDate : NextRotation(key);
        // Only a key with imported material has a ValidTo (DeleteImportedKeyMaterial and expiry clear both).
        DateTimeOffset? validTo = key.ValidTo;
        // Stryker disable once Equality : at validTo == due both sides are the same instant
        return validTo is not null && (due is null || validTo < due) ? validTo : due;
    }

    /// <summary>The key's next automatic rotation: only while it is enabled, and never a replica's own (its rotations come from its primary).</summary>
    private static DateTimeOffset? NextRotation(KeyRecord key) =>
        key is { KeyState: KeyState.Enabled, RotationEnabled: true, IsReplica: false } ? key.NextRotationDate : null;

    private static bool IsDue(KeyRecord key, DateTimeOffset now) => NextDue(key) <= now;

    private ValueTask<KeyRecord?> ApplyDueAsync(string keyId, CancellationToken cancellationToken) =>
        ExclusiveAsync(() => ApplyDueLockedAsync(keyId, Now, cancellationToken), cancellationToken);

    /// <summary>The key with due changes applied, under the write gate the caller holds.</summary>
    // Stryker disable once Conditional : a fast path; applying due changes when none are due gives the same key
    private ValueTask<KeyRecord?> FindKeyLockedAsync(string keyId, CancellationToken cancellationToken) =>
        !_keys.TryGetValue(keyId, out KeyRecord? key) ? new((KeyRecord?)null)
        : IsDue(key, Now) ? ApplyDueLockedAsync(keyId, Now, cancellationToken)
        : new(key);

    /// <summary>
    /// Applies every change of <paramref name="keyId"/> that has fallen due by <paramref name="now"/>:
    /// each missed rotation, dated when it was due, or the purge at the end of the deletion window.
    /// Each is recorded as KMS records it (<c>RotateKey</c>, <c>DeleteKey</c>), at its due time, by
    /// the one instance whose commit made it.
    /// </summary>
    private async ValueTask<KeyRecord?> ApplyDueLockedAsync(string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A local rather than an out variable or a pattern variable in these conditions, so that every mutation of them
        // compiles (docs/testing.md).
        KeyRecord? key = _keys.GetValueOrDefault(keyId);
        // Stryker disable once Block,Statement : a guard against another instance purging the key between the scheduler's listing and the write gate; every caller in one instance holds a key it just found
        if (key is null)
        {
            return null;
        }

        if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
        {
            await PurgeLockedAsync(key, cancellationToken).ConfigureAwait(false);
            return null;
        }

        KeyRecord updated = key;
        DateTimeOffset? expired = null;
        if (key.ValidTo <= now)
        {
            // As AWS: the imported material is deleted and the key waits for it to be imported again.
            expired = key.ValidTo;
            updated = key with
            {
                Materials = [],
                ExpirationModel = null,
                ValidTo = null,
                KeyState = key.KeyState is KeyState.Enabled or KeyState.Disabled ? KeyState.PendingImport : key.KeyState,
            };
        }

        var rotations = new List<DateTimeOffset>();
        for (DateTimeOffset? due = NextRotation(updated); due <= now; due = NextRotation(updated))
        {
            updated = Rotate(updated, RotationType.AUTOMATIC, due.GetValueOrDefault());
            rotations.Add(due.GetValueOrDefault());
        }

        if (!ReferenceEquals(updated, key))
        {
            using Activity? span = rotations.Count > 0 ? VaultlibTracing.StartRotationStep("KMS", "RotateKey") : null;
            await CommitLockedAsync([KeyWrite(updated)], cancellationToken).ConfigureAwait(false);
            key.ReleaseDropped(updated);
            if (expired is not null)
            {
                Log.ImportedMaterialExpired(_logger, key.Arn, expired.Value);
                Pipeline.Audit?.RecordServiceEvent("DeleteExpiredKeyMaterial", updated.Arn, expired.Value);
            }

            foreach (DateTimeOffset at in rotations)
            {
                Pipeline.Audit?.RecordServiceEvent("RotateKey", updated.Arn, at);
            }
        }

        return updated;
    }

    /// <summary>Deletes a key whose window has ended with its aliases and grants, in one transaction; its material is zeroed last.</summary>
    private async ValueTask PurgeLockedAsync(KeyRecord key, CancellationToken cancellationToken)
    {
        List<Change> changes = [.. _aliases.Values.Where(a => a.TargetKeyId == key.KeyId).Select(a => AliasDelete(a.AliasName))];
        changes.AddRange(_grants.Values.Where(g => g.KeyId == key.KeyId).Select(g => GrantDelete(g.GrantId)));
        changes.Add(KeyDelete(key));
        await CommitLockedAsync(changes, cancellationToken).ConfigureAwait(false);
        Log.KeyPurged(_logger, key.Arn, key.DeletionDate!.Value);
        Pipeline.Audit?.RecordServiceEvent("DeleteKey", key.Arn, key.DeletionDate!.Value);
    }
}
