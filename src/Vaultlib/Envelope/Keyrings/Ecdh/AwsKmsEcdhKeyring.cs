using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Keys;

namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS ECDH keyring of the Material Providers Library (<c>CreateAwsKmsEcdhKeyring</c>): as
/// <see cref="RawEcdhKeyring"/>, with the private key a KMS <c>KEY_AGREEMENT</c> key that never leaves KMS (the shared
/// secret comes from KMS <c>DeriveSharedSecret</c>). <see cref="KmsPrivateKeyToStaticPublicKeyAsync"/> has a KMS sender
/// key and the recipient's public key, and encrypts and decrypts; <see cref="KmsPublicKeyDiscoveryAsync"/> has the
/// recipient's KMS key and decrypts whatever was encrypted to its public key (by either ECDH keyring). Encrypted data
/// keys: provider id <c>aws-kms-ecdh</c>.
/// </summary>
public sealed class AwsKmsEcdhKeyring : IKeyring
{
    private readonly IKmsKeyringClient _client;
    private readonly EcdhCurveSpec _curve;
    private readonly string _kmsKeyId;
    private readonly byte[]? _recipientPublicKey;
    private readonly byte[] _recipient;
    private readonly byte[]? _sender;
    private readonly IReadOnlyList<string>? _grantTokens;

    private AwsKmsEcdhKeyring(IKmsKeyringClient client, EcdhCurveSpec curve, string kmsKeyId, byte[]? recipientPublicKey, byte[] recipient, byte[]? sender, IReadOnlyList<string>? grantTokens)
    {
        _client = client;
        _curve = curve;
        _kmsKeyId = kmsKeyId;
        _recipientPublicKey = recipientPublicKey;
        _recipient = recipient;
        _sender = sender;
        _grantTokens = grantTokens;
    }

    /// <summary>A KMS sender key and the recipient's public key: encrypts, and decrypts what it encrypted.</summary>
    /// <param name="client">The KMS client.</param>
    /// <param name="curve">The curve of both keys.</param>
    /// <param name="senderKmsKeyId">The sender's KMS key (<c>KEY_AGREEMENT</c>, on the curve).</param>
    /// <param name="recipientPublicKey">The recipient's public key, DER SubjectPublicKeyInfo.</param>
    /// <param name="senderPublicKey">The sender key's public key; fetched with <c>GetPublicKey</c> when null.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <param name="cancellationToken">Cancels the <c>GetPublicKey</c> call.</param>
    /// <exception cref="ArgumentException">A key is malformed or on another curve, the KMS key is not for key agreement on the curve, or the curve is SM2.</exception>
    public static async Task<AwsKmsEcdhKeyring> KmsPrivateKeyToStaticPublicKeyAsync(
        IKmsKeyringClient client, EcdhCurveSpec curve, string senderKmsKeyId, ReadOnlyMemory<byte> recipientPublicKey, ReadOnlyMemory<byte>? senderPublicKey = null,
        IEnumerable<string>? grantTokens = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        AwsKmsDataKeys.RequireIdentifier(senderKmsKeyId, nameof(senderKmsKeyId));
        IReadOnlyList<string>? tokens = AwsKmsDataKeys.Copy(grantTokens);
        using ECDiffieHellman recipient = EcdhWrapping.ImportPublicKey(recipientPublicKey.Span, curve, nameof(recipientPublicKey));
        byte[] sender = await PublicKeyAsync(client, curve, senderKmsKeyId, senderPublicKey, tokens, nameof(senderPublicKey), cancellationToken).ConfigureAwait(false);
        return new AwsKmsEcdhKeyring(client, curve, senderKmsKeyId, recipientPublicKey.ToArray(), EcdhWrapping.Compress(recipient), sender, tokens);
    }

    /// <summary>The recipient's KMS key: decrypts whatever any sender encrypted to its public key; cannot encrypt.</summary>
    /// <param name="client">The KMS client.</param>
    /// <param name="curve">The key's curve.</param>
    /// <param name="recipientKmsKeyId">The recipient's KMS key (<c>KEY_AGREEMENT</c>, on the curve).</param>
    /// <param name="recipientPublicKey">Its public key; fetched with <c>GetPublicKey</c> when null.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <param name="cancellationToken">Cancels the <c>GetPublicKey</c> call.</param>
    /// <exception cref="ArgumentException">The key is malformed or on another curve, the KMS key is not for key agreement on the curve, or the curve is SM2.</exception>
    public static async Task<AwsKmsEcdhKeyring> KmsPublicKeyDiscoveryAsync(
        IKmsKeyringClient client, EcdhCurveSpec curve, string recipientKmsKeyId, ReadOnlyMemory<byte>? recipientPublicKey = null,
        IEnumerable<string>? grantTokens = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        AwsKmsDataKeys.RequireIdentifier(recipientKmsKeyId, nameof(recipientKmsKeyId));
        IReadOnlyList<string>? tokens = AwsKmsDataKeys.Copy(grantTokens);
        byte[] recipient = await PublicKeyAsync(client, curve, recipientKmsKeyId, recipientPublicKey, tokens, nameof(recipientPublicKey), cancellationToken).ConfigureAwait(false);
        return new AwsKmsEcdhKeyring(client, curve, recipientKmsKeyId, null, recipient, null, tokens);
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The keyring is a public key discovery keyring.</exception>
    public async ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        if (_sender is null)
        {
            throw new MaterialProvidersException("A KMS public key discovery ECDH keyring cannot encrypt: it has no sender key.");
        }

        byte[] secret = await DeriveAsync(_recipientPublicKey!, cancellationToken).ConfigureAwait(false);
        try
        {
            EcdhKeyrings.Wrap(materials, secret, EcdhWrapping.KmsProviderId, _curve, _sender, _recipient);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The materials already hold a data key.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key for these keys opened (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        return EcdhKeyrings.UnwrapAsync(materials, encryptedDataKeys, _curve, [EcdhWrapping.KmsProviderId, EcdhWrapping.RawProviderId], this, async (recipient, sender, ct) =>
        {
            if (!recipient.AsSpan().SequenceEqual(_recipient) || (_sender is not null && !sender.AsSpan().SequenceEqual(_sender)))
            {
                return null;
            }

            if (_sender is not null)
            {
                return await DeriveAsync(_recipientPublicKey!, ct).ConfigureAwait(false);
            }

            using ECDiffieHellman senderKey = EcdhWrapping.Decompress(sender, _curve);
            return await DeriveAsync(senderKey.ExportSubjectPublicKeyInfo(), ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>The KMS key and curve.</summary>
    public override string ToString() => $"AwsKmsEcdhKeyring({(_sender is null ? "KmsPublicKeyDiscovery" : "KmsPrivateKeyToStaticPublicKey")}, {_kmsKeyId}, {_curve})";

    private async Task<byte[]> DeriveAsync(byte[] peerPublicKey, CancellationToken cancellationToken)
    {
        DeriveSharedSecretResponse derived = await _client.DeriveSharedSecretAsync(
            new DeriveSharedSecretRequest { KeyId = _kmsKeyId, KeyAgreementAlgorithm = KeyAgreementAlgorithmSpec.ECDH, PublicKey = peerPublicKey, GrantTokens = _grantTokens },
            cancellationToken).ConfigureAwait(false);
        byte[] secret = derived.SharedSecret.ToArray();
        MemoryMarshalHelpers.Zero(derived.SharedSecret);
        return secret;
    }

    /// <summary>The compressed public key of a KMS key: the given one, or <c>GetPublicKey</c>'s after checking usage and curve.</summary>
    private static async Task<byte[]> PublicKeyAsync(
        IKmsKeyringClient client, EcdhCurveSpec curve, string kmsKeyId, ReadOnlyMemory<byte>? given, IReadOnlyList<string>? grantTokens, string paramName, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> der;
        if (given is { } publicKey)
        {
            der = publicKey;
        }
        else
        {
            GetPublicKeyResponse response = await client.GetPublicKeyAsync(new GetPublicKeyRequest { KeyId = kmsKeyId, GrantTokens = grantTokens }, cancellationToken).ConfigureAwait(false);
            if (response.KeyUsage != KeyUsageType.KEY_AGREEMENT || response.KeySpec.ToString() != curve.ToString())
            {
                throw new ArgumentException($"The KMS key {kmsKeyId} is a {response.KeySpec} key for {response.KeyUsage}, not a {curve} key for KEY_AGREEMENT.", nameof(kmsKeyId));
            }

            der = response.PublicKey;
        }

        using ECDiffieHellman key = EcdhWrapping.ImportPublicKey(der.Span, curve, paramName);
        return EcdhWrapping.Compress(key);
    }
}
