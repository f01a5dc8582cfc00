using System.Collections.Concurrent;
using System.Collections.Immutable;
using Vaultlib.Internal;

namespace Vaultlib.Keys;

/// <summary>
/// The multi-Region part of the key table. A multi-Region key is one record per Region, each in its
/// Region's own service in the vault, with the same key id. The primary's shared properties (its
/// material versions, rotation settings, the list of Regions) are pushed to every replica after each
/// change the primary commits, and a purged replica is struck off the primary's list. The push runs
/// after this table's write gate is released, so that two Regions' gates are never held together.
/// </summary>
internal sealed partial class KeyTable
{
    private readonly ConcurrentQueue<FollowUp> _followUps = new();

    /// <summary>A change to make in another Region once this table's write gate is released.</summary>
    private readonly record struct FollowUp(string KeyId, string? PrimaryRegion = null, string? PurgedReplicaRegion = null);

    /// <summary>
    /// The key tables of the same account's other Regions, by Region name (created on first use);
    /// null for a key service made on its own, which has no other Regions to replicate to.
    /// </summary>
    public Func<string, KeyTable>? Regions { get; set; }

    /// <summary>The table of <paramref name="region"/>, or UnsupportedOperationException when this service has no other Regions.</summary>
    public KeyTable RegionTable(string region) =>
        Regions?.Invoke(region)
        ?? throw new UnsupportedOperationException($"This key service serves {Options.Region} alone; multi-Region keys replicate between the Regions of one VaultlibHost.");

    /// <summary>A replica of <paramref name="primary"/> for this table's Region: the shared properties, with copies of the material.</summary>
    public KeyRecord NewReplica(KeyRecord primary, string description, string policy, ImmutableSortedDictionary<string, string> tags) =>
        primary with
        {
            Arn = Ids.KeyArn(primary.KeyId),
            CreationDate = Now,
            Description = description,
            Policy = policy,
            Tags = tags,
            KeyState = primary.Origin == OriginType.EXTERNAL ? KeyState.PendingImport : KeyState.Enabled,
            DeletionDate = null,
            PendingWindowInDays = null,
            Materials = primary.Origin == OriginType.EXTERNAL ? [] : [.. primary.Materials.Select(m => m.Copy())],
            ExpirationModel = null,
            ValidTo = null,
            ImportParameters = [],
            ReplicaRegions = AddRegion(primary.ReplicaRegions, Options.Region),
        };

    public static ImmutableArray<string> AddRegion(ImmutableArray<string> regions, string region) =>
        regions.Contains(region) ? regions : [.. regions.Add(region).Order(StringComparer.Ordinal)];

    /// <summary>Queues the follow-ups a published key record needs: a primary pushes to its replicas; a purged replica is struck off its primary.</summary>
    private void QueueFollowUps(KeyRecord record, bool purged)
    {
        if (Regions is null || record.PrimaryRegion is null)
        {
            return;
        }

        if (purged && record.IsReplica)
        {
            _followUps.Enqueue(new FollowUp(record.KeyId, record.PrimaryRegion, record.Region));
        }
        else if (!purged && !record.IsReplica && !record.ReplicaRegions.IsEmpty)
        {
            _followUps.Enqueue(new FollowUp(record.KeyId));
        }
    }

    /// <summary>Runs the queued follow-ups. Called with no write gate held.</summary>
    protected override async ValueTask AfterWriteAsync(CancellationToken cancellationToken)
    {
        while (_followUps.TryDequeue(out FollowUp followUp))
        {
            try
            {
                if (followUp is { PrimaryRegion: { } primaryRegion, PurgedReplicaRegion: { } purged })
                {
                    await RegionTable(primaryRegion).StrikeReplicaAsync(followUp.KeyId, purged, cancellationToken).ConfigureAwait(false);
                }
                else if (FindKeyUntouched(followUp.KeyId) is { IsReplica: false } primary)
                {
                    foreach (string region in primary.ReplicaRegions)
                    {
                        await RegionTable(region).FollowPrimaryAsync(primary, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is KeyManagementException or VaultlibException or IOException or InvalidOperationException or ObjectDisposedException)
            {
                // The next change of the primary pushes again; the replica keeps its last good state.
                Log.ReplicaSyncFailed(_logger, followUp.KeyId, ex.GetType().Name);
            }
        }
    }

    /// <summary>Takes on the primary's shared properties in this (replica) Region.</summary>
    private async ValueTask FollowPrimaryAsync(KeyRecord primary, CancellationToken cancellationToken)
    {
        if (_keys.ContainsKey(primary.KeyId))
        {
            await MutateAsync(primary.KeyId, replica => WithSharedProperties(replica, primary), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Strikes a purged replica off the primary here (in the primary's Region); a primary waiting for its replicas to go starts its own deletion window once the last has.</summary>
    private async ValueTask StrikeReplicaAsync(string keyId, string replicaRegion, CancellationToken cancellationToken)
    {
        if (FindKeyUntouched(keyId) is not { IsReplica: false })
        {
            return;
        }

        await MutateAsync(keyId, primary =>
        {
            if (!primary.ReplicaRegions.Contains(replicaRegion))
            {
                return primary;
            }

            KeyRecord struck = primary with { ReplicaRegions = primary.ReplicaRegions.Remove(replicaRegion) };
            return struck is { KeyState: KeyState.PendingReplicaDeletion, ReplicaRegions.IsEmpty: true, PendingWindowInDays: { } days }
                ? struck with { KeyState = KeyState.PendingDeletion, DeletionDate = Now.AddDays(days) }
                : struck;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="replica"/> with the primary's shared properties: the material versions it lacks
    /// (copied; those it has are kept), the rotation settings, and the list of Regions. The same
    /// instance when nothing differs, so that an unchanged replica is not written again.
    /// </summary>
    public static KeyRecord WithSharedProperties(KeyRecord replica, KeyRecord primary)
    {
        ImmutableArray<KeyMaterial> materials = replica.Materials;
        if (primary.Origin != OriginType.EXTERNAL && primary.Materials.Length > replica.Materials.Length)
        {
            materials = [.. replica.Materials, .. primary.Materials.Skip(replica.Materials.Length).Select(m => m.Copy())];
        }

        bool same = materials == replica.Materials
            && replica.RotationEnabled == primary.RotationEnabled
            && replica.RotationPeriodInDays == primary.RotationPeriodInDays
            && replica.NextRotationDate == primary.NextRotationDate
            && replica.OnDemandRotationCount == primary.OnDemandRotationCount
            && replica.ImportedKeyMaterialId == (primary.ImportedKeyMaterialId ?? replica.ImportedKeyMaterialId)
            && replica.PrimaryRegion == primary.PrimaryRegion
            && replica.ReplicaRegions.SequenceEqual(primary.ReplicaRegions);
        return same ? replica : replica with
        {
            Materials = materials,
            RotationEnabled = primary.RotationEnabled,
            RotationPeriodInDays = primary.RotationPeriodInDays,
            NextRotationDate = primary.NextRotationDate,
            OnDemandRotationCount = primary.OnDemandRotationCount,
            ImportedKeyMaterialId = primary.ImportedKeyMaterialId ?? replica.ImportedKeyMaterialId,
            PrimaryRegion = primary.PrimaryRegion,
            ReplicaRegions = primary.ReplicaRegions,
        };
    }
}
