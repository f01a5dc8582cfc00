using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>ReplicateSecretToRegions</c>: Adds regions to a primary secret's replicas and brings each in
/// line at once (each version encrypted again under the replica region's key); a region holding another secret of
/// the name fails unless <c>ForceOverwriteReplicaSecret</c> is set. Each replica's state comes back.
/// </summary>
internal sealed class ReplicateSecretToRegions() : SecretOperation<ReplicateSecretToRegionsRequest, ReplicateSecretToRegionsResponse>("ReplicateSecretToRegions", readOnly: false)
{
    public static ReplicateSecretToRegions Instance { get; } = new();

    protected override string SecretIdOf(ReplicateSecretToRegionsRequest request) => request.SecretId;

    public override void Validate(ReplicateSecretToRegionsRequest r)
    {
        base.Validate(r);
        Internal.Validate.Required("AddReplicaRegions", r.AddReplicaRegions);
        SecretReplicas.Validate(r.AddReplicaRegions);
    }

    public override async ValueTask<ReplicateSecretToRegionsResponse> ExecuteAsync(SecretTable table, ReplicateSecretToRegionsRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        SecretRecord primary = await SecretReplicas.AddAsync(table, resolved, r.AddReplicaRegions, r.ForceOverwriteReplicaSecret == true, cancellationToken).ConfigureAwait(false);
        return new ReplicateSecretToRegionsResponse { ARN = primary.Arn, ReplicationStatus = primary.Replicas };
    }
}
