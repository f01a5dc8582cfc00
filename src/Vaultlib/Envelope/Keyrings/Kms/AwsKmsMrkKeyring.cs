namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS multi-Region-key-aware keyring of the Material Providers Library (<c>CreateAwsKmsMrkKeyring</c>):
/// as <see cref="AwsKmsKeyring"/>, except that on decrypt an encrypted data key under a replica of its
/// multi-Region key in another Region also matches (all of the ARN but the Region equal), and is decrypted by its
/// own key identifier, so a message encrypted in one Region decrypts with the replica in another. Materials that
/// already hold a data key are returned unchanged.
/// </summary>
public sealed class AwsKmsMrkKeyring : IKeyring
{
    private readonly KmsKeyTarget _key;

    /// <summary>Creates the keyring.</summary>
    /// <param name="kmsKeyId">The KMS key: a key or alias ARN, an alias name or a key id (decrypting needs the key ARN).</param>
    /// <param name="client">The KMS client of the Region of <paramref name="kmsKeyId"/>.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <exception cref="ArgumentException"><paramref name="kmsKeyId"/> is not a KMS key identifier.</exception>
    public AwsKmsMrkKeyring(string kmsKeyId, IKmsKeyringClient client, IEnumerable<string>? grantTokens = null)
    {
        _key = KmsKeyTarget.Create(kmsKeyId, client, grantTokens, nameof(kmsKeyId));
    }

    /// <inheritdoc/>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default) => _key.EncryptAsync(materials, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">An <c>aws-kms</c> key's provider info is not a key ARN.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key decrypted (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        if (materials.HasPlaintextDataKey)
        {
            return ValueTask.CompletedTask;
        }

        return AwsKmsDataKeys.DecryptAsync(
            _key.Client, _key.GrantTokens, materials, encryptedDataKeys,
            (_, providerInfo) => AwsKmsArn.MrkMatchForDecrypt(_key.KeyId, providerInfo) ? _key.KeyId : null, this, cancellationToken);
    }

    /// <summary>The key identifier.</summary>
    public override string ToString() => $"AwsKmsMrkKeyring({_key.KeyId})";
}
