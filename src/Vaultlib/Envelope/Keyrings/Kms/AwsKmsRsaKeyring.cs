using System.Security.Cryptography;
using System.Text;
using Vaultlib.Keys;

namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS RSA keyring of the Material Providers Library (<c>CreateAwsKmsRsaKeyring</c>): data keys wrapped with
/// the public half of an asymmetric RSA KMS key (<c>ENCRYPT_DECRYPT</c>) on encrypt, locally, with no call to KMS; and
/// unwrapped by KMS <c>Decrypt</c> on decrypt. What is wrapped is the SHA-384 digest of the encryption context followed
/// by the data key (provider id <c>aws-kms-rsa</c>, provider info the key identifier), so the context is bound to the
/// data key. Anyone with the public key can encrypt, so the keyring refuses signing suites, as the specification does.
/// </summary>
public sealed class AwsKmsRsaKeyring : IKeyring
{
    /// <summary>The key provider id of its encrypted data keys.</summary>
    public const string ProviderId = "aws-kms-rsa";

    private readonly string _keyId;
    private readonly EncryptionAlgorithmSpec _algorithm;
    private readonly RSA? _publicKey;
    private readonly IKmsKeyringClient? _client;
    private readonly IReadOnlyList<string>? _grantTokens;

    /// <summary>Creates the keyring.</summary>
    /// <param name="kmsKeyId">The RSA KMS key: its ARN (needed to decrypt) or key id; not an alias.</param>
    /// <param name="encryptionAlgorithm"><see cref="EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1"/> or <see cref="EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256"/>.</param>
    /// <param name="publicKeyPem">The key's public half as PEM SubjectPublicKeyInfo (as KMS <c>GetPublicKey</c> gives it, PEM-armoured); null for a keyring that only decrypts.</param>
    /// <param name="client">The KMS client; null for a keyring that only encrypts.</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <exception cref="ArgumentException">The identifier is invalid or an alias, the algorithm is not RSA OAEP, or the public key is not RSA of at least 2048 bits.</exception>
    public AwsKmsRsaKeyring(string kmsKeyId, EncryptionAlgorithmSpec encryptionAlgorithm, string? publicKeyPem = null, IKmsKeyringClient? client = null, IEnumerable<string>? grantTokens = null)
    {
        _keyId = AwsKmsDataKeys.RequireIdentifier(kmsKeyId, nameof(kmsKeyId));
        if (kmsKeyId.StartsWith("alias/", StringComparison.Ordinal) || (AwsKmsArn.TryParse(kmsKeyId, out AwsKmsArn arn) && arn.ResourceType == "alias"))
        {
            throw new ArgumentException("The AWS KMS RSA keyring needs a key, not an alias.", nameof(kmsKeyId));
        }

        if (encryptionAlgorithm is not (EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 or EncryptionAlgorithmSpec.RSAES_OAEP_SHA_256))
        {
            throw new ArgumentException($"The AWS KMS RSA keyring wraps with RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256, not {encryptionAlgorithm}.", nameof(encryptionAlgorithm));
        }

        if (publicKeyPem is not null)
        {
            _publicKey = RSA.Create();
            try
            {
                _publicKey.ImportFromPem(publicKeyPem);
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                _publicKey.Dispose();
                throw new ArgumentException("The public key is not a PEM-encoded RSA public key.", nameof(publicKeyPem), e);
            }

            int bits = _publicKey.KeySize;
            if (bits < 2048)
            {
                _publicKey.Dispose();
                throw new ArgumentException($"The public key has {bits} bits; the AWS KMS RSA keyring needs at least 2048.", nameof(publicKeyPem));
            }
        }

        _algorithm = encryptionAlgorithm;
        _client = client;
        _grantTokens = AwsKmsDataKeys.Copy(grantTokens);
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The keyring has no public key, or the suite signs.</exception>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        RSA publicKey = _publicKey ?? throw new MaterialProvidersException($"{this} has no public key, so it cannot encrypt.");
        RequireUnsignedSuite(materials.Suite);
        materials.WrapDataKey(
            static (dataKey, state) =>
            {
                byte[] wrapped = new byte[SHA384.HashSizeInBytes + dataKey.Length];
                try
                {
                    state.Digest.CopyTo(wrapped, 0);
                    dataKey.CopyTo(wrapped.AsSpan(SHA384.HashSizeInBytes));
                    return new EncryptedDataKey
                    {
                        KeyProviderId = ProviderId,
                        KeyProviderInfo = Encoding.UTF8.GetBytes(state.Keyring._keyId),
                        Ciphertext = state.PublicKey.Encrypt(wrapped, state.Keyring.Padding),
                    };
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(wrapped);
                }
            },
            (Keyring: this, PublicKey: publicKey, Digest: ContextDigest(materials.EncryptionContext)));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The keyring has no client, the suite signs, the materials already hold a data key, or an <c>aws-kms-rsa</c> key's provider info is not a key ARN.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key decrypted under this context (every failure is inside).</exception>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        IKmsKeyringClient client = _client ?? throw new MaterialProvidersException($"{this} has no KMS client, so it cannot decrypt.");
        RequireUnsignedSuite(materials.Suite);
        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        return AwsKmsDataKeys.DecryptAsync(
            client, _grantTokens, materials, encryptedDataKeys,
            (_, providerInfo) => AwsKmsArn.MrkMatchForDecrypt(_keyId, providerInfo) ? _keyId : null,
            this, new AwsKmsDataKeys.Unwrap(ProviderId, _algorithm, ContextDigest(materials.EncryptionContext)), cancellationToken);
    }

    /// <summary>The key identifier and algorithm.</summary>
    public override string ToString() => $"AwsKmsRsaKeyring({_keyId}, {_algorithm})";

    private RSAEncryptionPadding Padding => _algorithm == EncryptionAlgorithmSpec.RSAES_OAEP_SHA_1 ? RSAEncryptionPadding.OaepSHA1 : RSAEncryptionPadding.OaepSHA256;

    private static byte[] ContextDigest(IReadOnlyDictionary<string, string> context) => SHA384.HashData(EnvelopeContext.Serialize(context));

    private void RequireUnsignedSuite(AlgorithmSuite suite)
    {
        if (suite.IsSigning)
        {
            throw new MaterialProvidersException($"{this} cannot be used with {suite}: anyone holding the public key can encrypt, so a signature proves nothing.");
        }
    }
}
