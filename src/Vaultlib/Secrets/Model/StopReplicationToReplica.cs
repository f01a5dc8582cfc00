namespace Vaultlib.Secrets;

/// <summary>StopReplicationToReplica request, made in the replica's region: the replica becomes a standalone secret.</summary>
public sealed record StopReplicationToReplicaRequest
{
    /// <summary>The replica: its name, full ARN or partial ARN, in this region.</summary>
    public required string SecretId { get; init; }
}

/// <summary>StopReplicationToReplica response.</summary>
public sealed record StopReplicationToReplicaResponse
{
    /// <summary>The promoted secret's ARN.</summary>
    public required string ARN { get; init; }
}
