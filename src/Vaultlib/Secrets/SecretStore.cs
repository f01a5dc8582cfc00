using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Secrets;

/// <summary>
/// Secrets Manager for one region of one account, shared by <see cref="InMemorySecretStore"/> and
/// <see cref="VaultSecretStore"/>, which differ only in the vault their sealed records live in. A thin façade: each
/// method hands its request to the operation of the same name (<c>Secrets/Operations/&lt;Operation&gt;.cs</c>)
/// through the one request pipeline. Thread-safe.
/// </summary>
public abstract class SecretStore : ISecretStore, IDisposable
{
    private readonly SecretTable _table;
    private readonly CallerIdentity? _caller;
    private readonly bool _ownsTable;

    private protected SecretStore(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies, KeyService? keys, SecretRotationFunctions? rotationFunctions)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _table = new SecretTable(vault, ownsVault, options, timeProvider, loggerFactory, auditSink, identityPolicies, keys, rotationFunctions);
        _table.Store = this;
        _ownsTable = true;
    }

    private protected SecretStore(SecretStore shared, CallerIdentity caller)
    {
        _table = shared._table;
        _caller = caller;
    }

    /// <summary>The region and account this store's ARNs name.</summary>
    public VaultlibOptions Options => _table.Options;

    /// <summary>The KMS that encrypts this store's values (the same region and account).</summary>
    public KeyService Keys => _table.Keys;

    /// <summary>The rotation functions this store's secrets name in <c>RotationLambdaARN</c>.</summary>
    public SecretRotationFunctions RotationFunctions => _table.RotationFunctions;

    /// <summary>The identity policies of the principals that call this store.</summary>
    public IdentityPolicyStore IdentityPolicies => _table.IdentityPolicies;

    /// <summary>The caller this façade is bound to (see <see cref="AsCaller"/>); null when calls run as the ambient caller or the account root.</summary>
    public CallerIdentity? Caller => _caller;

    internal SecretTable Table => _table;

    /// <summary>This store's time-driven work (scheduled rotations, purges at the end of recovery windows), for a <see cref="Scheduling.VaultlibScheduler"/>.</summary>
    public Scheduling.IScheduledWork ScheduledWork => _table;

    /// <summary>
    /// The same store, with every call made as <paramref name="caller"/> (and its KMS calls too), as an AWS client
    /// made with that principal's credentials. Disposing the returned façade does nothing; disposing this store ends both.
    /// </summary>
    public SecretStore AsCaller(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new CallerBound(this, caller);
    }

    /// <inheritdoc/>
    public Task<CreateSecretResponse> CreateSecretAsync(CreateSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.CreateSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetSecretValue.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<BatchGetSecretValueResponse> BatchGetSecretValueAsync(BatchGetSecretValueRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.BatchGetSecretValue.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<PutSecretValueResponse> PutSecretValueAsync(PutSecretValueRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.PutSecretValue.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateSecretResponse> UpdateSecretAsync(UpdateSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.UpdateSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DescribeSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListSecrets.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListSecretVersionIdsResponse> ListSecretVersionIdsAsync(ListSecretVersionIdsRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ListSecretVersionIds.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateSecretVersionStageResponse> UpdateSecretVersionStageAsync(UpdateSecretVersionStageRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.UpdateSecretVersionStage.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteSecretResponse> DeleteSecretAsync(DeleteSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DeleteSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RestoreSecretResponse> RestoreSecretAsync(RestoreSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RestoreSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.TagResource.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.UntagResource.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetRandomPasswordResponse> GetRandomPasswordAsync(GetRandomPasswordRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetRandomPassword.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<PutResourcePolicyResponse> PutResourcePolicyAsync(PutResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.PutResourcePolicy.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetResourcePolicyResponse> GetResourcePolicyAsync(GetResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.GetResourcePolicy.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteResourcePolicyResponse> DeleteResourcePolicyAsync(DeleteResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.DeleteResourcePolicy.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ValidateResourcePolicyResponse> ValidateResourcePolicyAsync(ValidateResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ValidateResourcePolicy.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RotateSecretResponse> RotateSecretAsync(RotateSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RotateSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<CancelRotateSecretResponse> CancelRotateSecretAsync(CancelRotateSecretRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.CancelRotateSecret.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ReplicateSecretToRegionsResponse> ReplicateSecretToRegionsAsync(ReplicateSecretToRegionsRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.ReplicateSecretToRegions.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RemoveRegionsFromReplicationResponse> RemoveRegionsFromReplicationAsync(RemoveRegionsFromReplicationRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.RemoveRegionsFromReplication.Instance, _table, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<StopReplicationToReplicaResponse> StopReplicationToReplicaAsync(StopReplicationToReplicaRequest request, CancellationToken cancellationToken = default) =>
        _table.Pipeline.Invoke(Operations.StopReplicationToReplica.Instance, _table, request, _caller, cancellationToken);

    /// <summary>Ends the store (not a façade made by <see cref="AsCaller"/>, which shares its owner's).</summary>
    public void Dispose()
    {
        if (_ownsTable)
        {
            _table.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"SecretStore({Options.Region}, {Options.AccountId})";

    private sealed class CallerBound(SecretStore shared, CallerIdentity caller) : SecretStore(shared, caller);
}
