namespace Vaultlib.Keys;

/// <summary>
/// AWS KMS, locally. Operations, members, limits, key states and errors follow the AWS KMS API
/// reference, so code written against <c>IAmazonKeyManagementService</c> maps over line for line.
/// Every operation that takes a <c>KeyId</c> accepts a key id, key ARN, alias name
/// (<c>alias/x</c>) or alias ARN, except where AWS itself accepts fewer forms (tags, rotation).
/// </summary>
/// <remarks>
/// Implementations: <see cref="InMemoryKeyService"/> (tests, fakes) and
/// <see cref="VaultKeyService"/> (a vault: SQLite, PostgreSQL, encrypted at rest). Both behave identically.
/// </remarks>
public interface IKeyService
{
    /// <summary>Creates a key. A symmetric AES-256-GCM key unless <see cref="CreateKeyRequest.KeySpec"/> says otherwise.</summary>
    /// <exception cref="ValidationException">A member is out of range.</exception>
    /// <exception cref="TagException">A tag is invalid.</exception>
    /// <exception cref="MalformedPolicyDocumentException">The policy is not JSON or too long.</exception>
    /// <exception cref="UnsupportedOperationException">The key spec or origin is not supported.</exception>
    Task<CreateKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Describes a key.</summary>
    /// <exception cref="NotFoundException">No such key or alias.</exception>
    Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the keys of the account and region, in pages.</summary>
    /// <exception cref="InvalidMarkerException">The marker is not one this service issued.</exception>
    Task<ListKeysResponse> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces a key's description.</summary>
    /// <exception cref="NotFoundException">No such key.</exception>
    Task<UpdateKeyDescriptionResponse> UpdateKeyDescriptionAsync(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Enables a disabled key.</summary>
    /// <exception cref="KMSInvalidStateException">The key is pending deletion.</exception>
    Task<EnableKeyResponse> EnableKeyAsync(EnableKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Disables a key: cryptographic operations then fail with <see cref="DisabledException"/>.</summary>
    /// <exception cref="KMSInvalidStateException">The key is pending deletion.</exception>
    /// <exception cref="AccessDeniedException">The key is AWS managed.</exception>
    Task<DisableKeyResponse> DisableKeyAsync(DisableKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Schedules deletion after 7-30 days; the key is gone once the clock passes <c>DeletionDate</c>.</summary>
    /// <exception cref="ValidationException">The window is outside 7-30 days.</exception>
    /// <exception cref="KMSInvalidStateException">The key is already pending deletion.</exception>
    /// <exception cref="AccessDeniedException">The key is AWS managed.</exception>
    Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletionAsync(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Cancels a scheduled deletion; the key is left disabled.</summary>
    /// <exception cref="KMSInvalidStateException">The key is not pending deletion.</exception>
    Task<CancelKeyDeletionResponse> CancelKeyDeletionAsync(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Adds or overwrites tags.</summary>
    /// <exception cref="TagException">A tag is invalid, reserved, or the key would have more than 50.</exception>
    Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Removes tags.</summary>
    Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists a key's tags, in pages.</summary>
    Task<ListResourceTagsResponse> ListResourceTagsAsync(ListResourceTagsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Creates an alias for a customer managed key.</summary>
    /// <exception cref="InvalidAliasNameException">The name is malformed or reserved.</exception>
    /// <exception cref="AlreadyExistsException">The alias exists.</exception>
    Task<CreateAliasResponse> CreateAliasAsync(CreateAliasRequest request, CancellationToken cancellationToken = default);

    /// <summary>Points an alias at another key of the same type and usage.</summary>
    /// <exception cref="NotFoundException">No such alias or key.</exception>
    Task<UpdateAliasResponse> UpdateAliasAsync(UpdateAliasRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes an alias (not its key).</summary>
    /// <exception cref="NotFoundException">No such alias.</exception>
    Task<DeleteAliasResponse> DeleteAliasAsync(DeleteAliasRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists aliases, optionally of one key, in pages.</summary>
    Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Encrypts 1-4096 bytes under a symmetric key with AES-256-GCM, binding the encryption context.</summary>
    /// <exception cref="ValidationException">The plaintext is empty or over 4096 bytes.</exception>
    /// <exception cref="DisabledException">The key is disabled.</exception>
    /// <exception cref="KMSInvalidStateException">The key is pending deletion.</exception>
    /// <exception cref="InvalidKeyUsageException">The key cannot encrypt.</exception>
    Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>Decrypts a blob made by this service; the blob names its key and material version.</summary>
    /// <exception cref="InvalidCiphertextException">The blob is malformed, tampered, or the context differs.</exception>
    /// <exception cref="IncorrectKeyException">A KeyId was given and it is not the blob's key.</exception>
    /// <exception cref="DisabledException">The key is disabled.</exception>
    /// <exception cref="KMSInvalidStateException">The key is pending deletion.</exception>
    Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>Decrypts under the source key and context and encrypts under the destination's.</summary>
    /// <exception cref="InvalidCiphertextException">The blob is malformed, tampered, or the context differs.</exception>
    /// <exception cref="IncorrectKeyException">SourceKeyId is not the blob's key.</exception>
    Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>Makes a data key and returns it in plaintext and encrypted under the key.</summary>
    /// <exception cref="ValidationException">Neither or both of KeySpec and NumberOfBytes, or NumberOfBytes outside 1-1024.</exception>
    Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Makes a data key and returns it only encrypted under the key.</summary>
    Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns 1-1024 random bytes from the system CSPRNG.</summary>
    Task<GenerateRandomResponse> GenerateRandomAsync(GenerateRandomRequest request, CancellationToken cancellationToken = default);

    /// <summary>Turns on automatic rotation every 90-2560 days (default 365).</summary>
    /// <exception cref="UnsupportedOperationException">The key is not a symmetric encryption key.</exception>
    Task<EnableKeyRotationResponse> EnableKeyRotationAsync(EnableKeyRotationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Turns off automatic rotation.</summary>
    Task<DisableKeyRotationResponse> DisableKeyRotationAsync(DisableKeyRotationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Whether automatic rotation is on, and when it next happens.</summary>
    Task<GetKeyRotationStatusResponse> GetKeyRotationStatusAsync(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default);

    /// <summary>Rotates now. At most 25 on-demand rotations per key.</summary>
    /// <exception cref="LimitExceededException">The key has been rotated on demand 25 times.</exception>
    Task<RotateKeyOnDemandResponse> RotateKeyOnDemandAsync(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists completed rotations, oldest first.</summary>
    Task<ListKeyRotationsResponse> ListKeyRotationsAsync(ListKeyRotationsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replaces the key policy (name <c>default</c>), refusing one that would lock the caller out unless told to bypass the check.</summary>
    /// <exception cref="MalformedPolicyDocumentException">The policy is malformed, or would lock the caller out.</exception>
    Task<PutKeyPolicyResponse> PutKeyPolicyAsync(PutKeyPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The key policy.</summary>
    Task<GetKeyPolicyResponse> GetKeyPolicyAsync(GetKeyPolicyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The key's policy names: always <c>default</c>.</summary>
    Task<ListKeyPoliciesResponse> ListKeyPoliciesAsync(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default);

    /// <summary>Grants a principal some operations on a key, optionally constrained by encryption context; effective at once.</summary>
    Task<CreateGrantResponse> CreateGrantAsync(CreateGrantRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists a key's grants.</summary>
    Task<ListGrantsResponse> ListGrantsAsync(ListGrantsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the grants a principal may retire.</summary>
    Task<ListGrantsResponse> ListRetirableGrantsAsync(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Retires a grant (its retiring principal, a grantee allowed RetireGrant, or the account).</summary>
    /// <exception cref="InvalidGrantTokenException">The token is not one this service issued.</exception>
    Task<RetireGrantResponse> RetireGrantAsync(RetireGrantRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes a grant (needs kms:RevokeGrant on the key).</summary>
    /// <exception cref="InvalidGrantIdException">No such grant on the key.</exception>
    Task<RevokeGrantResponse> RevokeGrantAsync(RevokeGrantRequest request, CancellationToken cancellationToken = default);

    /// <summary>Signs a message or digest with an asymmetric SIGN_VERIFY key.</summary>
    /// <exception cref="InvalidKeyUsageException">The key does not sign, or not with that algorithm.</exception>
    /// <exception cref="ValidationException">The message is over 4096 bytes, or a DIGEST of the wrong length.</exception>
    Task<SignResponse> SignAsync(SignRequest request, CancellationToken cancellationToken = default);

    /// <summary>Verifies a signature; a signature that does not verify is <see cref="KMSInvalidSignatureException"/>.</summary>
    /// <exception cref="KMSInvalidSignatureException">The signature does not verify (or is malformed, or not canonical).</exception>
    Task<VerifyResponse> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken = default);

    /// <summary>The public key of an asymmetric key (DER SubjectPublicKeyInfo).</summary>
    /// <exception cref="UnsupportedOperationException">The key is symmetric or HMAC.</exception>
    Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Computes an HMAC with a GENERATE_VERIFY_MAC key.</summary>
    Task<GenerateMacResponse> GenerateMacAsync(GenerateMacRequest request, CancellationToken cancellationToken = default);

    /// <summary>Verifies an HMAC in constant time; a mismatch is <see cref="KMSInvalidMacException"/>.</summary>
    /// <exception cref="KMSInvalidMacException">The MAC does not verify.</exception>
    Task<VerifyMacResponse> VerifyMacAsync(VerifyMacRequest request, CancellationToken cancellationToken = default);

    /// <summary>Makes a key pair; returns the private key in plaintext and encrypted under a symmetric key, and the public key.</summary>
    Task<GenerateDataKeyPairResponse> GenerateDataKeyPairAsync(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default);

    /// <summary>Makes a key pair; returns the private key only encrypted under a symmetric key, and the public key.</summary>
    Task<GenerateDataKeyPairWithoutPlaintextResponse> GenerateDataKeyPairWithoutPlaintextAsync(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default);

    /// <summary>ECDH between a KEY_AGREEMENT key's private key and another party's public key: the raw shared secret.</summary>
    /// <exception cref="InvalidKeyUsageException">The key is not a KEY_AGREEMENT key.</exception>
    /// <exception cref="ValidationException">The public key is malformed or on another curve.</exception>
    Task<DeriveSharedSecretResponse> DeriveSharedSecretAsync(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default);

    /// <summary>A wrapping public key and import token (accepted for 24 hours) to import key material into a key whose origin is EXTERNAL.</summary>
    /// <exception cref="UnsupportedOperationException">The key's origin is not EXTERNAL.</exception>
    /// <exception cref="ValidationException">The wrapping algorithm is not offered, or not for this key spec (an RSA private key needs RSA_AES_KEY_WRAP).</exception>
    Task<GetParametersForImportResponse> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default);

    /// <summary>Imports wrapped key material (or the same material again, to restore it or change its expiry).</summary>
    /// <exception cref="InvalidImportTokenException">The token was not issued for this key.</exception>
    /// <exception cref="ExpiredImportTokenException">The token's 24 hours have passed.</exception>
    /// <exception cref="InvalidCiphertextException">The material does not unwrap with the token's wrapping key and algorithm.</exception>
    /// <exception cref="IncorrectKeyMaterialException">The material does not fit the key, or is not the material imported before.</exception>
    Task<ImportKeyMaterialResponse> ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key's imported material; the key waits in PendingImport for the same material.</summary>
    /// <exception cref="UnsupportedOperationException">The key's origin is not EXTERNAL.</exception>
    Task<DeleteImportedKeyMaterialResponse> DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default);

    /// <summary>Replicates a multi-Region primary key into another Region of the same <see cref="VaultlibHost"/>.</summary>
    /// <exception cref="UnsupportedOperationException">The key is not a multi-Region primary key, or this service has no other Regions.</exception>
    /// <exception cref="AlreadyExistsException">The key already has a replica in that Region.</exception>
    Task<ReplicateKeyResponse> ReplicateKeyAsync(ReplicateKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Makes the replica in <see cref="UpdatePrimaryRegionRequest.PrimaryRegion"/> the primary key, and this key a replica.</summary>
    /// <exception cref="NotFoundException">The key has no replica in that Region.</exception>
    Task<UpdatePrimaryRegionResponse> UpdatePrimaryRegionAsync(UpdatePrimaryRegionRequest request, CancellationToken cancellationToken = default);
}
