using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>RemoveRegionsFromReplication</c>: Deletes the replicas in the regions given; the others remain.</summary>
internal sealed class RemoveRegionsFromReplication() : SecretOperation<RemoveRegionsFromReplicationRequest, RemoveRegionsFromReplicationResponse>("RemoveRegionsFromReplication", readOnly: false)
{
    public static RemoveRegionsFromReplication Instance { get; } = new();

    protected override string SecretIdOf(RemoveRegionsFromReplicationRequest request) => request.SecretId;

    public override void Validate(RemoveRegionsFromReplicationRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("RemoveReplicaRegions", r.RemoveReplicaRegions);
        if (r.RemoveReplicaRegions.Count == 0 || r.RemoveReplicaRegions.Any(region => !VaultlibOptionsValidator.IsRegionName(region)))
        {
            throw new InvalidParameterException("RemoveReplicaRegions", "RemoveReplicaRegions must name at least one region, each a valid region name.");
        }
    }

    public override async ValueTask<RemoveRegionsFromReplicationResponse> ExecuteAsync(SecretTable table, RemoveRegionsFromReplicationRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        SecretRecord primary = (await ChangeAsync(
            table,
            resolved,
            current => new(current with { Replicas = [.. current.Replicas.Where(replica => !r.RemoveReplicaRegions.Contains(replica.Region, StringComparer.Ordinal))] }),
            cancellationToken).ConfigureAwait(false))!;
        foreach (string region in r.RemoveReplicaRegions.Where(region => resolved.Replicas.Any(replica => replica.Region == region)))
        {
            await table.Regions!(region).RemoveReplicaAsync(primary.Name, primary.Arn, cancellationToken).ConfigureAwait(false);
        }

        return new RemoveRegionsFromReplicationResponse { ARN = primary.Arn, ReplicationStatus = primary.Replicas };
    }
}
