using Vaultlib.Authorization;

namespace Vaultlib.Keys;

/// <summary>
/// An <see cref="IKeyService"/> whose every call runs as one caller: the explicit counterpart of
/// <see cref="VaultlibCaller.Use"/>, like an AWS client made with a principal's credentials.
/// Made by <see cref="KeyServiceExtensions.AsCaller"/>.
/// </summary>
internal sealed class CallerBoundKeyService(IKeyService inner, CallerIdentity caller) : IKeyService
{
    private readonly IKeyService _inner = inner;
    private readonly CallerIdentity _caller = caller;

#pragma warning disable CS1591 // Members implement IKeyService, documented there.
    public Task<CreateKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.CreateKeyAsync(request, cancellationToken);
        }
    }

    public Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.DescribeKeyAsync(request, cancellationToken);
        }
    }

    public Task<ListKeysResponse> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListKeysAsync(request, cancellationToken);
        }
    }

    public Task<UpdateKeyDescriptionResponse> UpdateKeyDescriptionAsync(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.UpdateKeyDescriptionAsync(request, cancellationToken);
        }
    }

    public Task<EnableKeyResponse> EnableKeyAsync(EnableKeyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.EnableKeyAsync(request, cancellationToken);
        }
    }

    public Task<DisableKeyResponse> DisableKeyAsync(DisableKeyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.DisableKeyAsync(request, cancellationToken);
        }
    }

    public Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletionAsync(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ScheduleKeyDeletionAsync(request, cancellationToken);
        }
    }

    public Task<CancelKeyDeletionResponse> CancelKeyDeletionAsync(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.CancelKeyDeletionAsync(request, cancellationToken);
        }
    }

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.TagResourceAsync(request, cancellationToken);
        }
    }

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.UntagResourceAsync(request, cancellationToken);
        }
    }

    public Task<ListResourceTagsResponse> ListResourceTagsAsync(ListResourceTagsRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListResourceTagsAsync(request, cancellationToken);
        }
    }

    public Task<CreateAliasResponse> CreateAliasAsync(CreateAliasRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.CreateAliasAsync(request, cancellationToken);
        }
    }

    public Task<UpdateAliasResponse> UpdateAliasAsync(UpdateAliasRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.UpdateAliasAsync(request, cancellationToken);
        }
    }

    public Task<DeleteAliasResponse> DeleteAliasAsync(DeleteAliasRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.DeleteAliasAsync(request, cancellationToken);
        }
    }

    public Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListAliasesAsync(request, cancellationToken);
        }
    }

    public Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.EncryptAsync(request, cancellationToken);
        }
    }

    public Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.DecryptAsync(request, cancellationToken);
        }
    }

    public Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ReEncryptAsync(request, cancellationToken);
        }
    }

    public Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GenerateDataKeyAsync(request, cancellationToken);
        }
    }

    public Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GenerateDataKeyWithoutPlaintextAsync(request, cancellationToken);
        }
    }

    public Task<GenerateRandomResponse> GenerateRandomAsync(GenerateRandomRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GenerateRandomAsync(request, cancellationToken);
        }
    }

    public Task<EnableKeyRotationResponse> EnableKeyRotationAsync(EnableKeyRotationRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.EnableKeyRotationAsync(request, cancellationToken);
        }
    }

    public Task<DisableKeyRotationResponse> DisableKeyRotationAsync(DisableKeyRotationRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.DisableKeyRotationAsync(request, cancellationToken);
        }
    }

    public Task<GetKeyRotationStatusResponse> GetKeyRotationStatusAsync(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GetKeyRotationStatusAsync(request, cancellationToken);
        }
    }

    public Task<RotateKeyOnDemandResponse> RotateKeyOnDemandAsync(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.RotateKeyOnDemandAsync(request, cancellationToken);
        }
    }

    public Task<ListKeyRotationsResponse> ListKeyRotationsAsync(ListKeyRotationsRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListKeyRotationsAsync(request, cancellationToken);
        }
    }

    public Task<PutKeyPolicyResponse> PutKeyPolicyAsync(PutKeyPolicyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.PutKeyPolicyAsync(request, cancellationToken);
        }
    }

    public Task<GetKeyPolicyResponse> GetKeyPolicyAsync(GetKeyPolicyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GetKeyPolicyAsync(request, cancellationToken);
        }
    }

    public Task<ListKeyPoliciesResponse> ListKeyPoliciesAsync(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListKeyPoliciesAsync(request, cancellationToken);
        }
    }

    public Task<CreateGrantResponse> CreateGrantAsync(CreateGrantRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.CreateGrantAsync(request, cancellationToken);
        }
    }

    public Task<ListGrantsResponse> ListGrantsAsync(ListGrantsRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListGrantsAsync(request, cancellationToken);
        }
    }

    public Task<ListGrantsResponse> ListRetirableGrantsAsync(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.ListRetirableGrantsAsync(request, cancellationToken);
        }
    }

    public Task<RetireGrantResponse> RetireGrantAsync(RetireGrantRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.RetireGrantAsync(request, cancellationToken);
        }
    }

    public Task<RevokeGrantResponse> RevokeGrantAsync(RevokeGrantRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.RevokeGrantAsync(request, cancellationToken);
        }
    }

    public Task<SignResponse> SignAsync(SignRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.SignAsync(request, cancellationToken);
        }
    }

    public Task<VerifyResponse> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.VerifyAsync(request, cancellationToken);
        }
    }

    public Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GetPublicKeyAsync(request, cancellationToken);
        }
    }

    public Task<GenerateMacResponse> GenerateMacAsync(GenerateMacRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GenerateMacAsync(request, cancellationToken);
        }
    }

    public Task<VerifyMacResponse> VerifyMacAsync(VerifyMacRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.VerifyMacAsync(request, cancellationToken);
        }
    }

    public Task<GenerateDataKeyPairResponse> GenerateDataKeyPairAsync(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GenerateDataKeyPairAsync(request, cancellationToken);
        }
    }

    public Task<GenerateDataKeyPairWithoutPlaintextResponse> GenerateDataKeyPairWithoutPlaintextAsync(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default)
    {
        using (VaultlibCaller.Use(_caller))
        {
            return _inner.GenerateDataKeyPairWithoutPlaintextAsync(request, cancellationToken);
        }
    }
#pragma warning restore CS1591

    public override string ToString() => $"{_inner} as {_caller.Principal}";
}
