namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS keyring of the Material Providers Library (<c>CreateAwsKmsKeyring</c>): one KMS key, through any
/// <see cref="IKmsKeyringClient"/>. On encrypt it generates the data key with <c>GenerateDataKey</c> when the
/// materials have none, else encrypts a copy with <c>Encrypt</c>; the encrypted data key's provider info is the
/// key ARN KMS answers with. On decrypt it tries only <c>aws-kms</c> encrypted data keys whose ARN is exactly its
/// key identifier (so configure a key ARN to decrypt), and KMS must answer for that identifier. Its grant tokens go
/// with every call. Combine several with <see cref="MultiKeyring"/>.
/// </summary>
public sealed class AwsKmsKeyring : IKeyring
{
    private readonly KmsKeyTarget _key;

    /// <summary>Creates the keyring.</summary>
    /// <param name="kmsKeyId">The KMS key: a key or alias ARN, an alias name or a key id (decrypting needs the key ARN).</param>
    /// <param name="client">The KMS client.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <exception cref="ArgumentException"><paramref name="kmsKeyId"/> is not a KMS key identifier.</exception>
    public AwsKmsKeyring(string kmsKeyId, IKmsKeyringClient client, IEnumerable<string>? grantTokens = null)
    {
        _key = KmsKeyTarget.Create(kmsKeyId, client, grantTokens, nameof(kmsKeyId));
    }

    /// <inheritdoc/>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default) => _key.EncryptAsync(materials, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The materials already hold a data key, or an <c>aws-kms</c> key's provider info is not a key ARN.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key decrypted (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        return AwsKmsDataKeys.DecryptAsync(
            _key.Client, _key.GrantTokens, materials, encryptedDataKeys, (_, providerInfo) => providerInfo == _key.KeyId ? _key.KeyId : null, this, cancellationToken);
    }

    /// <summary>The key identifier.</summary>
    public override string ToString() => $"AwsKmsKeyring({_key.KeyId})";
}
