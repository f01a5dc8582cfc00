namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS discovery keyring of the Material Providers Library (<c>CreateAwsKmsDiscoveryKeyring</c>): it
/// cannot encrypt; on decrypt it asks KMS to decrypt each <c>aws-kms</c> encrypted data key under the key ARN the
/// message names, limited by an optional <see cref="DiscoveryFilter"/> to the keys of some accounts in one
/// partition. Use a filter: without one, any KMS key the caller may use decrypts.
/// </summary>
public sealed class AwsKmsDiscoveryKeyring : IKeyring
{
    private readonly KmsDiscovery _discovery;

    /// <summary>Creates the keyring.</summary>
    /// <param name="client">The KMS client.</param>
    /// <param name="discoveryFilter">The partition and accounts whose keys may decrypt; null for any.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <exception cref="ArgumentException">The filter has no partition or no account.</exception>
    public AwsKmsDiscoveryKeyring(IKmsKeyringClient client, DiscoveryFilter? discoveryFilter = null, IEnumerable<string>? grantTokens = null)
    {
        _discovery = KmsDiscovery.Create(client, discoveryFilter, grantTokens);
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">Always: a discovery keyring names no key to encrypt under.</exception>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default) =>
        throw new MaterialProvidersException("An AWS KMS discovery keyring cannot encrypt: it names no KMS key.");

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The materials already hold a data key, or an <c>aws-kms</c> key's provider info is not a key ARN.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key decrypted (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        return AwsKmsDataKeys.DecryptAsync(
            _discovery.Client, _discovery.GrantTokens, materials, encryptedDataKeys, (arn, providerInfo) => _discovery.Allows(arn) ? providerInfo : null, this, cancellationToken);
    }

    /// <summary>The filter.</summary>
    public override string ToString() => $"AwsKmsDiscoveryKeyring({_discovery.Describe()})";
}
