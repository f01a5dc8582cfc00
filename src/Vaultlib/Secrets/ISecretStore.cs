namespace Vaultlib.Secrets;

/// <summary>
/// AWS Secrets Manager: the same operations, members, limits and errors as AWS's API reference. Implemented by
/// <see cref="SecretStore"/> (<see cref="InMemorySecretStore"/>, <see cref="VaultSecretStore"/>), and usable as a fake for
/// code written against Secrets Manager.
/// </summary>
public interface ISecretStore
{
    /// <summary>Creates a secret and, when the request gives a value, its first version, labelled AWSCURRENT and encrypted through KMS as the caller.</summary>
    /// <exception cref="ResourceExistsException">A secret of the name exists.</exception>
    /// <exception cref="InvalidRequestException">A secret of the name is scheduled for deletion.</exception>
    /// <exception cref="EncryptionFailureException">The KMS key cannot encrypt.</exception>
    Task<CreateSecretResponse> CreateSecretAsync(CreateSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>The value of a version (by <c>VersionId</c> or <c>VersionStage</c>; AWSCURRENT by default), decrypted through KMS as the caller.</summary>
    /// <exception cref="ResourceNotFoundException">No such secret, version or label, or the version has no value yet.</exception>
    /// <exception cref="InvalidRequestException">The secret is scheduled for deletion.</exception>
    /// <exception cref="DecryptionFailureException">The KMS key cannot decrypt.</exception>
    Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken = default);

    /// <summary>The AWSCURRENT values of up to 20 secrets, or of the secrets the filters match; those that cannot be read come back in <c>Errors</c>.</summary>
    Task<BatchGetSecretValueResponse> BatchGetSecretValueAsync(BatchGetSecretValueRequest request, CancellationToken cancellationToken = default);

    /// <summary>A new version of the value, labelled AWSCURRENT unless the request names other labels.</summary>
    /// <exception cref="ResourceExistsException">The token names a version with another value.</exception>
    /// <exception cref="LimitExceededException">A version would have more than 20 labels.</exception>
    Task<PutSecretValueResponse> PutSecretValueAsync(PutSecretValueRequest request, CancellationToken cancellationToken = default);

    /// <summary>A new description or KMS key, and/or a new AWSCURRENT value.</summary>
    Task<UpdateSecretResponse> UpdateSecretAsync(UpdateSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>The secret's details and labelled versions, never a value.</summary>
    Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>The secrets, filtered, by creation date, at most 100 a page.</summary>
    Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken = default);

    /// <summary>A secret's versions, newest first.</summary>
    Task<ListSecretVersionIdsResponse> ListSecretVersionIdsAsync(ListSecretVersionIdsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Moves a staging label between versions, or removes it.</summary>
    Task<UpdateSecretVersionStageResponse> UpdateSecretVersionStageAsync(UpdateSecretVersionStageRequest request, CancellationToken cancellationToken = default);

    /// <summary>Schedules a secret's purge after a recovery window of 7-30 days, or purges it at once.</summary>
    Task<DeleteSecretResponse> DeleteSecretAsync(DeleteSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancels a scheduled deletion.</summary>
    Task<RestoreSecretResponse> RestoreSecretAsync(RestoreSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or changes tags.</summary>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags.</summary>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>A random password of the length and characters asked.</summary>
    Task<GetRandomPasswordResponse> GetRandomPasswordAsync(GetRandomPasswordRequest request, CancellationToken cancellationToken = default);

    /// <summary>Attaches a resource policy; with <c>BlockPublicPolicy</c>, one giving broad access is refused.</summary>
    Task<PutResourcePolicyResponse> PutResourcePolicyAsync(PutResourcePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The secret's resource policy.</summary>
    Task<GetResourcePolicyResponse> GetResourcePolicyAsync(GetResourcePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes the secret's resource policy.</summary>
    Task<DeleteResourcePolicyResponse> DeleteResourcePolicyAsync(DeleteResourcePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Checks a resource policy without attaching it.</summary>
    Task<ValidateResourcePolicyResponse> ValidateResourcePolicyAsync(ValidateResourcePolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sets the rotation function and schedule and rotates now (unless <c>RotateImmediately</c> is false): AWSPENDING on a new version with no value, then the function's four steps.</summary>
    /// <exception cref="InvalidRequestException">A rotation is already in progress (it is attempted again), or no function is named.</exception>
    /// <exception cref="AccessDeniedException">No rotation function is registered under the ARN.</exception>
    Task<RotateSecretResponse> RotateSecretAsync(RotateSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>Turns automatic rotation off; a rotation in progress keeps its AWSPENDING version.</summary>
    Task<CancelRotateSecretResponse> CancelRotateSecretAsync(CancelRotateSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replicates the secret to other regions of the host, each replica encrypted under its region's key.</summary>
    /// <exception cref="InvalidParameterException">The secret is a replica, or a region is its own.</exception>
    Task<ReplicateSecretToRegionsResponse> ReplicateSecretToRegionsAsync(ReplicateSecretToRegionsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes the secret's replicas in the regions given.</summary>
    Task<RemoveRegionsFromReplicationResponse> RemoveRegionsFromReplicationAsync(RemoveRegionsFromReplicationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Called in a replica's region: makes the replica a standalone secret.</summary>
    /// <exception cref="InvalidRequestException">The secret is not a replica.</exception>
    Task<StopReplicationToReplicaResponse> StopReplicationToReplicaAsync(StopReplicationToReplicaRequest request, CancellationToken cancellationToken = default);
}
