namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS multi-Region-key discovery keyring of the Material Providers Library
/// (<c>CreateAwsKmsMrkDiscoveryKeyring</c>): a discovery keyring bound to its client's Region. An encrypted data key
/// under a multi-Region key is decrypted with that key's replica in this Region; one under a single-Region key only
/// if that key is in this Region. It cannot encrypt.
/// </summary>
public sealed class AwsKmsMrkDiscoveryKeyring : IKeyring
{
    private readonly KmsDiscovery _discovery;
    private readonly string _region;

    /// <summary>Creates the keyring.</summary>
    /// <param name="client">The KMS client.</param>
    /// <param name="region">The client's Region.</param>
    /// <param name="discoveryFilter">The partition and accounts whose keys may decrypt; null for any.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <exception cref="ArgumentException">No Region, a Region other than the client's, or a filter with no partition or account.</exception>
    public AwsKmsMrkDiscoveryKeyring(IKmsKeyringClient client, string region, DiscoveryFilter? discoveryFilter = null, IEnumerable<string>? grantTokens = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(region);
        if (client.Region is string clientRegion && !string.Equals(clientRegion, region, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The keyring's Region {region} is not its client's Region {clientRegion}.", nameof(region));
        }

        _discovery = KmsDiscovery.Create(client, discoveryFilter, grantTokens);
        _region = region;
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">Always: a discovery keyring names no key to encrypt under.</exception>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default) =>
        throw new MaterialProvidersException("An AWS KMS MRK discovery keyring cannot encrypt: it names no KMS key.");

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The materials already hold a data key, or an <c>aws-kms</c> key's provider info is not a key ARN.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key decrypted (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        return AwsKmsDataKeys.DecryptAsync(_discovery.Client, _discovery.GrantTokens, materials, encryptedDataKeys, KeyIdFor, this, cancellationToken);
    }

    /// <summary>The Region and filter.</summary>
    public override string ToString() => $"AwsKmsMrkDiscoveryKeyring({_region}; {_discovery.Describe()})";

    private string? KeyIdFor(AwsKmsArn arn, string providerInfo)
    {
        if (!_discovery.Allows(arn))
        {
            return null;
        }

        if (arn.IsMultiRegionKey)
        {
            return arn.InRegion(_region);
        }

        return arn.Region == _region ? providerInfo : null;
    }
}
