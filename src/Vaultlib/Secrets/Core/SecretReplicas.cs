namespace Vaultlib.Secrets;

/// <summary>The replica regions a request adds: valid, distinct names, never the primary's own region; and adding them.</summary>
internal static class SecretReplicas
{
    public static void Validate(IReadOnlyList<ReplicaRegionType> regions)
    {
        if (regions.Count == 0 || regions.Any(r => !VaultlibOptionsValidator.IsRegionName(r.Region)) || regions.Select(r => r.Region).Distinct(StringComparer.Ordinal).Count() != regions.Count)
        {
            throw new InvalidParameterException("AddReplicaRegions", "AddReplicaRegions must name one or more distinct, valid regions.");
        }

        foreach (ReplicaRegionType region in regions)
        {
            Internal.Validate.Length("AddReplicaRegions.member.KmsKeyId", region.KmsKeyId, 0, 2048, required: false);
        }
    }

    /// <summary>Adds <paramref name="regions"/> to the primary's replicas and brings them in line; returns the primary with every replica's state.</summary>
    public static async ValueTask<SecretRecord> AddAsync(SecretTable table, SecretRecord primary, IReadOnlyList<ReplicaRegionType> regions, bool overwrite, CancellationToken cancellationToken)
    {
        if (table.IsReplica(primary))
        {
            throw new InvalidParameterException("SecretId", "Operation not permitted on a replica secret. Call must be made in primary secret's region.");
        }

        if (regions.FirstOrDefault(r => r.Region == table.Options.Region) is { } own)
        {
            throw new InvalidParameterException("AddReplicaRegions", $"The secret's own region {own.Region} can't be a replica region.");
        }

        SecretRecord updated = await table.ChangeAsync(
            primary.Name,
            current => current is null || current.Arn != primary.Arn ? throw SmErrors.NotFound()
                : current with
                {
                    Replicas = [.. current.Replicas.Where(r => !regions.Any(added => added.Region == r.Region)),
                        .. regions.Select(r => new ReplicationStatusType { Region = r.Region, KmsKeyId = r.KmsKeyId, Status = "InProgress" })],
                },
            cancellationToken,
            syncReplicas: false).ConfigureAwait(false) ?? throw SmErrors.NotFound();
        return await table.SyncReplicasAsync(updated, overwrite ? [.. regions.Select(r => r.Region)] : [], cancellationToken).ConfigureAwait(false);
    }
}
