using Vaultlib.Keys;

namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS operations the AWS KMS keyrings and the branch key store call, in Vaultlib's KMS request and response shapes. Vaultlib's own
/// <see cref="IKeyService"/> serves them through <see cref="KeyServiceKeyringClient"/>; an AWS SDK KMS client
/// (<c>IAmazonKeyManagementService</c>, so real AWS KMS or Vaultlib's endpoint) serves them through
/// <c>Vaultlib.AwsProtocol.AmazonKmsKeyringClient</c>.
/// </summary>
public interface IKmsKeyringClient
{
    /// <summary>The Region the client calls, when it knows it (the MRK discovery keyring checks it).</summary>
    string? Region { get; }

    /// <summary>KMS <c>GenerateDataKey</c>.</summary>
    Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>KMS <c>Encrypt</c>.</summary>
    Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>KMS <c>Decrypt</c>.</summary>
    Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>KMS <c>GenerateDataKeyWithoutPlaintext</c> (the branch key store makes branch keys with it).</summary>
    Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default);

    /// <summary>KMS <c>ReEncrypt</c> (the branch key store re-wraps and authenticates branch keys with it).</summary>
    Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default);

    /// <summary>KMS <c>GetPublicKey</c> (the KMS ECDH keyring reads its key's public half with it).</summary>
    Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>KMS <c>DeriveSharedSecret</c> (the KMS ECDH keyring's key agreement).</summary>
    Task<DeriveSharedSecretResponse> DeriveSharedSecretAsync(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Serves the AWS KMS keyrings from a Vaultlib key service.</summary>
/// <param name="keys">The key service.</param>
/// <param name="region">Its Region; when null, a <see cref="KeyService"/>'s own Region.</param>
public sealed class KeyServiceKeyringClient(IKeyService keys, string? region = null) : IKmsKeyringClient
{
    private readonly IKeyService _keys = keys ?? throw new ArgumentNullException(nameof(keys));

    /// <inheritdoc/>
    public string? Region { get; } = region ?? (keys as KeyService)?.Options.Region;

    /// <inheritdoc/>
    public Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.GenerateDataKeyAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default) =>
        _keys.EncryptAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default) =>
        _keys.DecryptAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
        _keys.GenerateDataKeyWithoutPlaintextAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default) =>
        _keys.ReEncryptAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default) =>
        _keys.GetPublicKeyAsync(request, cancellationToken);

    /// <inheritdoc/>
    public Task<DeriveSharedSecretResponse> DeriveSharedSecretAsync(DeriveSharedSecretRequest request, CancellationToken cancellationToken = default) =>
        _keys.DeriveSharedSecretAsync(request, cancellationToken);

    /// <summary>The key service and Region.</summary>
    public override string ToString() => $"KeyServiceKeyringClient({Region ?? "no region"})";
}
