using Microsoft.Extensions.Logging;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// AWS KMS for one region of one account, shared by <see cref="InMemoryKeyService"/> and
/// <see cref="VaultKeyService"/>, which differ only in the vault their sealed records live in. A thin
/// façade: each method hands its request to the operation of the same name
/// (<c>Keys/Operations/&lt;Operation&gt;.cs</c>) through the one request pipeline. Thread-safe.
/// </summary>
/// <remarks>
/// Time-driven behaviour (automatic rotation, the end of a deletion window) happens when it falls
/// due, dated when it was due: through <see cref="ScheduledWork"/> when a <see cref="VaultlibScheduler"/>
/// runs it, and otherwise when the key is next touched.
/// </remarks>
public abstract class KeyService : IKeyService, IDisposable
{
    /// <summary>The most bytes Encrypt accepts (4 KiB), as in AWS KMS.</summary>
    public const int MaxPlaintextLength = 4096;

    /// <summary>The most on-demand rotations of one key, as in AWS KMS.</summary>
    public const int MaxOnDemandRotations = 25;

    /// <summary>
    /// AWS's quota of customer managed KMS keys per account and Region, whatever their state (a key pending deletion
    /// counts until it is deleted); AWS managed keys do not count. CreateKey and ReplicateKey beyond it fail with
    /// <see cref="LimitExceededException"/>, as in AWS before a quota increase.
    /// </summary>
    public const int MaxCustomerManagedKeys = 100_000;

    private readonly KeyTable _keys;
    private readonly CallerIdentity? _caller;
    private readonly bool _ownsTable;

    private protected KeyService(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _keys = new KeyTable(vault, ownsVault, options, timeProvider, loggerFactory, auditSink, identityPolicies);
        _ownsTable = true;
    }

    private protected KeyService(KeyService shared, CallerIdentity caller)
    {
        _keys = shared._keys;
        _caller = caller;
    }

    /// <summary>The region and account this service's ARNs name.</summary>
    public VaultlibOptions Options => _keys.Options;

    /// <summary>The identity policies of the principals that call this service.</summary>
    public IdentityPolicyStore IdentityPolicies => _keys.IdentityPolicies;

    /// <summary>The caller this façade is bound to (see <see cref="AsCaller"/>); null when calls run as the ambient caller or the account root.</summary>
    public CallerIdentity? Caller => _caller;

    /// <summary>This service's time-driven work (automatic rotations, ends of deletion windows), for a <see cref="VaultlibScheduler"/>.</summary>
    public IScheduledWork ScheduledWork => _keys;

    private protected ILogger Logger => _keys.Logger;

    private protected int KeyCount => _keys.KeyCount;

    private protected int AliasCount => _keys.AliasCount;

    internal KeyTable Table => _keys;

    /// <summary>The AWS managed key <c>alias/aws/&lt;service&gt;</c>, created on first use; the seam the other Vaultlib services use.</summary>
    internal ValueTask<string> GetOrCreateAwsManagedKeyAsync(string service, CancellationToken cancellationToken = default) => _keys.GetOrCreateAwsManagedKeyAsync(service, cancellationToken);

    /// <summary>The key's material bytes, for tests that look for key material where it must not be.</summary>
    internal byte[][] DangerousExportAllMaterialForTests(string keyId) => _keys.DangerousExportAllMaterialForTests(keyId);

    /// <summary>
    /// The same service (same keys, same store), with every call made as <paramref name="caller"/>,
    /// as an AWS client made with that principal's credentials. Disposing the returned façade does
    /// nothing; disposing this service ends both.
    /// </summary>
    public KeyService AsCaller(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new CallerBound(this, caller);
    }

    /// <inheritdoc/>
    public Task<CreateKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.CreateKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.DescribeKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListKeysResponse> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListKeys.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateKeyDescriptionResponse> UpdateKeyDescriptionAsync(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.UpdateKeyDescription.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<EnableKeyResponse> EnableKeyAsync(EnableKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.EnableKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DisableKeyResponse> DisableKeyAsync(DisableKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.DisableKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletionAsync(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ScheduleKeyDeletion.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<CancelKeyDeletionResponse> CancelKeyDeletionAsync(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.CancelKeyDeletion.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.TagResource.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.UntagResource.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListResourceTagsResponse> ListResourceTagsAsync(ListResourceTagsRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListResourceTags.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<CreateAliasResponse> CreateAliasAsync(CreateAliasRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.CreateAlias.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateAliasResponse> UpdateAliasAsync(UpdateAliasRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.UpdateAlias.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteAliasResponse> DeleteAliasAsync(DeleteAliasRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.DeleteAlias.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListAliases.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.Encrypt.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.Decrypt.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ReEncrypt.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GenerateDataKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GenerateDataKeyWithoutPlaintext.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateRandomResponse> GenerateRandomAsync(GenerateRandomRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GenerateRandom.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<EnableKeyRotationResponse> EnableKeyRotationAsync(EnableKeyRotationRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.EnableKeyRotation.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DisableKeyRotationResponse> DisableKeyRotationAsync(DisableKeyRotationRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.DisableKeyRotation.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetKeyRotationStatusResponse> GetKeyRotationStatusAsync(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GetKeyRotationStatus.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RotateKeyOnDemandResponse> RotateKeyOnDemandAsync(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.RotateKeyOnDemand.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListKeyRotationsResponse> ListKeyRotationsAsync(ListKeyRotationsRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListKeyRotations.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<PutKeyPolicyResponse> PutKeyPolicyAsync(PutKeyPolicyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.PutKeyPolicy.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetKeyPolicyResponse> GetKeyPolicyAsync(GetKeyPolicyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GetKeyPolicy.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListKeyPoliciesResponse> ListKeyPoliciesAsync(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListKeyPolicies.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<CreateGrantResponse> CreateGrantAsync(CreateGrantRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.CreateGrant.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListGrantsResponse> ListGrantsAsync(ListGrantsRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListGrants.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ListGrantsResponse> ListRetirableGrantsAsync(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ListRetirableGrants.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RetireGrantResponse> RetireGrantAsync(RetireGrantRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.RetireGrant.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<RevokeGrantResponse> RevokeGrantAsync(RevokeGrantRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.RevokeGrant.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<SignResponse> SignAsync(SignRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.Sign.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<VerifyResponse> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.Verify.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GetPublicKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateMacResponse> GenerateMacAsync(GenerateMacRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GenerateMac.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<VerifyMacResponse> VerifyMacAsync(VerifyMacRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.VerifyMac.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyPairResponse> GenerateDataKeyPairAsync(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GenerateDataKeyPair.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyPairWithoutPlaintextResponse> GenerateDataKeyPairWithoutPlaintextAsync(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GenerateDataKeyPairWithoutPlaintext.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeriveSharedSecretResponse> DeriveSharedSecretAsync(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.DeriveSharedSecret.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<GetParametersForImportResponse> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.GetParametersForImport.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ImportKeyMaterialResponse> ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ImportKeyMaterial.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteImportedKeyMaterialResponse> DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.DeleteImportedKeyMaterial.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<ReplicateKeyResponse> ReplicateKeyAsync(ReplicateKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.ReplicateKey.Instance, _keys, request, _caller, cancellationToken);

    /// <inheritdoc/>
    public Task<UpdatePrimaryRegionResponse> UpdatePrimaryRegionAsync(UpdatePrimaryRegionRequest request, CancellationToken cancellationToken = default) =>
        _keys.Pipeline.Invoke(Operations.UpdatePrimaryRegion.Instance, _keys, request, _caller, cancellationToken);

    /// <summary>Zeroes every key's material and releases the store; a façade from <see cref="AsCaller"/> releases nothing.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases material and the store when this façade owns them.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsTable)
        {
            _keys.Dispose();
        }
    }

    /// <summary>Type and identity only.</summary>
    public override string ToString() => $"{GetType().Name}({_keys.Options.Region}, {_keys.Options.AccountId}, {_keys.KeyCount} keys)";

    /// <summary>A façade over another service's keys, bound to one caller.</summary>
    private sealed class CallerBound(KeyService shared, CallerIdentity caller) : KeyService(shared, caller);
}
