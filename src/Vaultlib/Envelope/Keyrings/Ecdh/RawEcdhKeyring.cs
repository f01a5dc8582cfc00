using System.Security.Cryptography;

namespace Vaultlib.Envelope;

/// <summary>
/// The raw ECDH keyring of the Material Providers Library (<c>CreateRawEcdhKeyring</c>): the data key is wrapped under a
/// key derived from an ECDH shared secret between a sender and a recipient key pair, so only the two parties can
/// unwrap it, and no key is ever sent. Three schemas, one factory each: <see cref="RawPrivateKeyToStaticPublicKey"/>
/// (a static sender; encrypts and decrypts), <see cref="EphemeralPrivateKeyToStaticPublicKey"/> (a fresh sender key
/// per message; encrypts only), and <see cref="PublicKeyDiscovery"/> (the recipient's private key; decrypts only).
/// Encrypted data keys: provider id <c>raw-ecdh</c>; the wrapping is described on the format page.
/// </summary>
public sealed class RawEcdhKeyring : IKeyring, IDisposable
{
    private readonly EcdhCurveSpec _curve;
    private readonly ECDiffieHellman? _privateKey;
    private readonly ECDiffieHellman? _recipientPublicKey;
    private readonly byte[] _recipient;
    private readonly byte[]? _sender;
    private readonly Schema _schema;

    private RawEcdhKeyring(EcdhCurveSpec curve, Schema schema, ECDiffieHellman? privateKey, ECDiffieHellman? recipientPublicKey, byte[] recipient, byte[]? sender)
    {
        _curve = curve;
        _schema = schema;
        _privateKey = privateKey;
        _recipientPublicKey = recipientPublicKey;
        _recipient = recipient;
        _sender = sender;
    }

    private enum Schema
    {
        RawPrivateKeyToStaticPublicKey,
        EphemeralPrivateKeyToStaticPublicKey,
        PublicKeyDiscovery,
    }

    /// <summary>A static sender key pair and the recipient's public key: encrypts, and decrypts what it encrypted.</summary>
    /// <param name="curve">The curve of both keys.</param>
    /// <param name="senderPrivateKeyPem">The sender's private key, PEM PKCS #8.</param>
    /// <param name="recipientPublicKey">The recipient's public key, DER SubjectPublicKeyInfo.</param>
    /// <exception cref="ArgumentException">A key is malformed or on another curve, or the curve is SM2.</exception>
    public static RawEcdhKeyring RawPrivateKeyToStaticPublicKey(EcdhCurveSpec curve, string senderPrivateKeyPem, ReadOnlySpan<byte> recipientPublicKey)
    {
        ECDiffieHellman sender = EcdhWrapping.ImportPrivateKey(senderPrivateKeyPem, curve, nameof(senderPrivateKeyPem));
        try
        {
            ECDiffieHellman recipient = EcdhWrapping.ImportPublicKey(recipientPublicKey, curve, nameof(recipientPublicKey));
            return new RawEcdhKeyring(curve, Schema.RawPrivateKeyToStaticPublicKey, sender, recipient, EcdhWrapping.Compress(recipient), EcdhWrapping.Compress(sender));
        }
        catch
        {
            sender.Dispose();
            throw;
        }
    }

    /// <summary>A fresh sender key pair per message to the recipient's public key: encrypts only (nobody keeps the sender key).</summary>
    /// <param name="curve">The recipient key's curve.</param>
    /// <param name="recipientPublicKey">The recipient's public key, DER SubjectPublicKeyInfo (a KMS key's public key works too).</param>
    /// <exception cref="ArgumentException">The key is malformed or on another curve, or the curve is SM2.</exception>
    public static RawEcdhKeyring EphemeralPrivateKeyToStaticPublicKey(EcdhCurveSpec curve, ReadOnlySpan<byte> recipientPublicKey)
    {
        ECDiffieHellman recipient = EcdhWrapping.ImportPublicKey(recipientPublicKey, curve, nameof(recipientPublicKey));
        return new RawEcdhKeyring(curve, Schema.EphemeralPrivateKeyToStaticPublicKey, null, recipient, EcdhWrapping.Compress(recipient), null);
    }

    /// <summary>The recipient's private key: decrypts whatever any sender encrypted to its public key; cannot encrypt.</summary>
    /// <param name="curve">The key's curve.</param>
    /// <param name="recipientPrivateKeyPem">The recipient's private key, PEM PKCS #8.</param>
    /// <exception cref="ArgumentException">The key is malformed or on another curve, or the curve is SM2.</exception>
    public static RawEcdhKeyring PublicKeyDiscovery(EcdhCurveSpec curve, string recipientPrivateKeyPem)
    {
        ECDiffieHellman recipient = EcdhWrapping.ImportPrivateKey(recipientPrivateKeyPem, curve, nameof(recipientPrivateKeyPem));
        return new RawEcdhKeyring(curve, Schema.PublicKeyDiscovery, recipient, null, EcdhWrapping.Compress(recipient), null);
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The keyring is a public key discovery keyring.</exception>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        if (_schema == Schema.PublicKeyDiscovery)
        {
            throw new MaterialProvidersException("A public key discovery ECDH keyring cannot encrypt: it has no sender key.");
        }

        using ECDiffieHellman? ephemeral = _schema == Schema.EphemeralPrivateKeyToStaticPublicKey ? ECDiffieHellman.Create(EcdhWrapping.Curve(_curve)) : null;
        ECDiffieHellman senderKey = ephemeral ?? _privateKey!;
        byte[] sender = ephemeral is null ? _sender! : EcdhWrapping.Compress(ephemeral);
        byte[] secret = senderKey.DeriveRawSecretAgreement(_recipientPublicKey!.PublicKey);
        try
        {
            EcdhKeyrings.Wrap(materials, secret, EcdhWrapping.RawProviderId, _curve, sender, _recipient);
            return ValueTask.CompletedTask;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The keyring is an ephemeral-sender keyring, or the materials already hold a data key.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key for these keys opened (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        if (_schema == Schema.EphemeralPrivateKeyToStaticPublicKey)
        {
            throw new MaterialProvidersException("An ephemeral-sender ECDH keyring cannot decrypt: nobody kept the sender key.");
        }

        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        return EcdhKeyrings.UnwrapAsync(materials, encryptedDataKeys, _curve, [EcdhWrapping.RawProviderId, EcdhWrapping.KmsProviderId], this, (recipient, sender, _) =>
        {
            if (!recipient.AsSpan().SequenceEqual(_recipient) || (_sender is not null && !sender.AsSpan().SequenceEqual(_sender)))
            {
                return ValueTask.FromResult<byte[]?>(null);
            }

            if (_schema == Schema.RawPrivateKeyToStaticPublicKey)
            {
                return ValueTask.FromResult<byte[]?>(_privateKey!.DeriveRawSecretAgreement(_recipientPublicKey!.PublicKey));
            }

            using ECDiffieHellman senderKey = EcdhWrapping.Decompress(sender, _curve);
            return ValueTask.FromResult<byte[]?>(_privateKey!.DeriveRawSecretAgreement(senderKey.PublicKey));
        }, cancellationToken);
    }

    /// <summary>Frees the keys.</summary>
    public void Dispose()
    {
        _privateKey?.Dispose();
        _recipientPublicKey?.Dispose();
    }

    /// <summary>The schema and curve; never a key.</summary>
    public override string ToString() => $"RawEcdhKeyring({_schema}, {_curve})";
}
