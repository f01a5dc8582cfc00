using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>StopReplicationToReplica</c>: Called in a replica's region, makes the replica a standalone
/// secret (its own primary), which the primary stops replicating to. On a secret that is not a replica it is
/// <see cref="InvalidRequestException"/>.
/// </summary>
internal sealed class StopReplicationToReplica() : SecretOperation<StopReplicationToReplicaRequest, StopReplicationToReplicaResponse>("StopReplicationToReplica", readOnly: false, allowsReplica: true)
{
    public static StopReplicationToReplica Instance { get; } = new();

    protected override string SecretIdOf(StopReplicationToReplicaRequest request) => request.SecretId;

    public override async ValueTask<StopReplicationToReplicaResponse> ExecuteAsync(SecretTable table, StopReplicationToReplicaRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        if (!table.IsReplica(resolved))
        {
            throw new InvalidRequestException($"The secret {resolved.Name} is not a replica; call StopReplicationToReplica in a replica's region.");
        }

        string primaryRegion = resolved.PrimaryRegion;
        await ChangeAsync(table, resolved, current => new(current with { PrimaryRegion = table.Options.Region, LastChangedDate = table.Now }), cancellationToken).ConfigureAwait(false);
        if (table.Regions?.Invoke(primaryRegion) is { } primaryTable && primaryTable.FindByName(resolved.Name) is { } primary)
        {
            await primaryTable.ChangeAsync(primary.Name, current => current is null ? null : current with { Replicas = [.. current.Replicas.Where(replica => replica.Region != table.Options.Region)] }, cancellationToken, syncReplicas: false).ConfigureAwait(false);
        }

        return new StopReplicationToReplicaResponse { ARN = resolved.Arn };
    }
}
