using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// The AWS KMS hierarchical keyring of the Material Providers Library (<c>CreateAwsKmsHierarchicalKeyring</c>): data
/// keys are wrapped locally under a key derived from a branch key, and the branch key (wrapped by KMS in a
/// <see cref="IBranchKeyStore"/>) is cached for a TTL, so KMS is called once per branch key version per TTL rather
/// than once per message. Each wrap derives a fresh AES-256 key from the branch key (NIST SP 800-108 counter mode,
/// HMAC-SHA256, label <c>aws-kms-hierarchy</c>, a random 16-byte salt) and seals the data key with AES-GCM under a
/// random IV, authenticating the branch key id and version and the message's encryption context. Encrypted data
/// keys: provider id <c>aws-kms-hierarchy</c>, provider info the branch key id, ciphertext
/// salt (16) ‖ IV (12) ‖ version (16, the UUID's bytes) ‖ wrapped key ‖ tag (16).
/// </summary>
public sealed class AwsKmsHierarchicalKeyring : IKeyring
{
    /// <summary>The key provider id of its encrypted data keys.</summary>
    public const string ProviderId = "aws-kms-hierarchy";

    private const int SaltLength = 16, IvLength = 12, VersionLength = 16, TagLength = 16;
    private static readonly byte[] s_label = Encoding.UTF8.GetBytes(ProviderId);

    private readonly IBranchKeyStore _keyStore;
    private readonly string? _branchKeyId;
    private readonly IBranchKeyIdSupplier? _supplier;
    private readonly BranchKeyCache _cache;

    /// <summary>Creates the keyring.</summary>
    /// <param name="keyStore">Where the branch keys are.</param>
    /// <param name="branchKeyId">The branch key to use; or null with <paramref name="branchKeyIdSupplier"/>.</param>
    /// <param name="branchKeyIdSupplier">Chooses the branch key per message from its encryption context; or null with <paramref name="branchKeyId"/>.</param>
    /// <param name="cacheTtl">How long a fetched branch key is used before it is fetched again; more than zero.</param>
    /// <param name="maxCacheSize">The most branch key versions cached (1000 by default; 0 caches nothing).</param>
    /// <param name="timeProvider">The clock the TTL runs on.</param>
    /// <exception cref="ArgumentException">Not exactly one of id and supplier, a TTL not above zero, or a negative size.</exception>
    public AwsKmsHierarchicalKeyring(
        IBranchKeyStore keyStore, string? branchKeyId, IBranchKeyIdSupplier? branchKeyIdSupplier, TimeSpan cacheTtl, int maxCacheSize = 1000, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(keyStore);
        if ((branchKeyId is null) == (branchKeyIdSupplier is null) || branchKeyId is { Length: 0 })
        {
            throw new ArgumentException("A hierarchical keyring needs exactly one of a branch key id and a branch key id supplier.", nameof(branchKeyId));
        }

        if (cacheTtl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheTtl), cacheTtl, "The cache TTL must be more than zero.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxCacheSize);
        _keyStore = keyStore;
        _branchKeyId = branchKeyId;
        _supplier = branchKeyIdSupplier;
        _cache = new BranchKeyCache(maxCacheSize, cacheTtl, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The branch key versions cached now.</summary>
    public int CachedBranchKeys => _cache.Count;

    /// <inheritdoc/>
    /// <exception cref="BranchKeyStoreException">The branch key cannot be fetched.</exception>
    public async ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        string branchKeyId = await BranchKeyIdAsync(materials.EncryptionContext, cancellationToken).ConfigureAwait(false);
        BranchKeyMaterials branchKey = _cache.TryGet("ACTIVE\0" + branchKeyId)
            ?? _cache.Add("ACTIVE\0" + branchKeyId, await _keyStore.GetActiveBranchKeyAsync(branchKeyId, cancellationToken).ConfigureAwait(false));
        try
        {
            materials.WrapDataKey(static (dataKey, state) => Wrap(state.BranchKey, dataKey, state.SerializedContext), (BranchKey: branchKey, SerializedContext: EnvelopeContext.Serialize(materials.EncryptionContext)));
        }
        finally
        {
            branchKey.Release();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="MaterialProvidersException">The materials already hold a data key.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key of this keyring's branch key opened (every failure is inside).</exception>
    public async ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        AwsKmsDataKeys.RequireNoDataKey(materials, this);
        string branchKeyId = await BranchKeyIdAsync(materials.EncryptionContext, cancellationToken).ConfigureAwait(false);
        byte[]? serializedContext = null;
        var errors = new List<Exception>();
        int tried = 0;
        foreach (EncryptedDataKey edk in encryptedDataKeys)
        {
            if (edk.KeyProviderId != ProviderId || !StrictUtf8.TryDecode(edk.KeyProviderInfo.Span, out string? providerInfo) || providerInfo != branchKeyId)
            {
                continue;
            }

            tried++;
            try
            {
                ReadOnlySpan<byte> ciphertext = edk.Ciphertext.Span;
                int keyLength = materials.Suite.DataKeyLength;
                if (ciphertext.Length != SaltLength + IvLength + VersionLength + keyLength + TagLength)
                {
                    throw new MaterialProvidersException($"An aws-kms-hierarchy encrypted data key is {ciphertext.Length} bytes; {materials.Suite} makes them {SaltLength + IvLength + VersionLength + keyLength + TagLength}.");
                }

                ReadOnlySpan<byte> version = ciphertext.Slice(SaltLength + IvLength, VersionLength);
                string versionText = new Guid(version, bigEndian: true).ToString();
                BranchKeyMaterials branchKey = _cache.TryGet("VERSION\0" + branchKeyId + "\0" + versionText)
                    ?? _cache.Add("VERSION\0" + branchKeyId + "\0" + versionText, await _keyStore.GetBranchKeyVersionAsync(branchKeyId, versionText, cancellationToken).ConfigureAwait(false));
                try
                {
                    serializedContext ??= EnvelopeContext.Serialize(materials.EncryptionContext);
                    Unwrap(branchKey, edk, materials, keyLength, serializedContext);
                    return;
                }
                finally
                {
                    branchKey.Release();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(e);
            }
        }

        throw CannotUnwrapDataKeyException.NoneDecrypted(this, encryptedDataKeys.Count, $"{tried} under branch key '{branchKeyId}'", errors);
    }

    /// <summary>The branch key id or supplier.</summary>
    public override string ToString() => $"AwsKmsHierarchicalKeyring({_branchKeyId ?? "supplied per message"})";

    /// <summary>Wraps a data key: salt ‖ IV ‖ version ‖ wrapped key ‖ tag, under a key derived from the branch key and the salt.</summary>
    private static EncryptedDataKey Wrap(BranchKeyMaterials branchKey, ReadOnlySpan<byte> dataKey, byte[] serializedContext)
    {
        byte[] ciphertext = new byte[SaltLength + IvLength + VersionLength + dataKey.Length + TagLength];
        RandomNumberGenerator.Fill(ciphertext.AsSpan(0, SaltLength + IvLength));
        Span<byte> version = ciphertext.AsSpan(SaltLength + IvLength, VersionLength);
        Guid.Parse(branchKey.BranchKeyVersion).TryWriteBytes(version, bigEndian: true, out _);
        using (AesGcm gcm = DerivedCipher(branchKey, ciphertext.AsSpan(0, SaltLength)))
        {
            gcm.Encrypt(
                ciphertext.AsSpan(SaltLength, IvLength), dataKey, ciphertext.AsSpan(SaltLength + IvLength + VersionLength, dataKey.Length), ciphertext.AsSpan(ciphertext.Length - TagLength),
                Aad(branchKey.BranchKeyIdentifier, version, serializedContext));
        }

        return new EncryptedDataKey { KeyProviderId = ProviderId, KeyProviderInfo = Encoding.UTF8.GetBytes(branchKey.BranchKeyIdentifier), Ciphertext = ciphertext };
    }

    private static void Unwrap(BranchKeyMaterials branchKey, EncryptedDataKey edk, DecryptionMaterials materials, int keyLength, byte[] serializedContext)
    {
        ReadOnlySpan<byte> ciphertext = edk.Ciphertext.Span;
        Span<byte> dataKey = stackalloc byte[keyLength];
        try
        {
            using AesGcm gcm = DerivedCipher(branchKey, ciphertext[..SaltLength]);
            try
            {
                gcm.Decrypt(
                    ciphertext.Slice(SaltLength, IvLength), ciphertext.Slice(SaltLength + IvLength + VersionLength, keyLength), ciphertext[^TagLength..], dataKey,
                    Aad(branchKey.BranchKeyIdentifier, ciphertext.Slice(SaltLength + IvLength, VersionLength), serializedContext));
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new MaterialProvidersException("An aws-kms-hierarchy encrypted data key failed authentication: another context, branch key or version, or tampered.", e);
            }

            materials.SetPlaintextDataKey(dataKey, edk);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>AES-GCM under the key derived from the branch key and the salt (SP 800-108 counter mode, HMAC-SHA256).</summary>
    private static AesGcm DerivedCipher(BranchKeyMaterials branchKey, ReadOnlySpan<byte> salt)
    {
        Span<byte> derived = stackalloc byte[32];
        try
        {
            using (Internal.SecretLease key = branchKey.LeaseKey())
            {
                SP800108HmacCounterKdf.DeriveBytes(key.Span, HashAlgorithmName.SHA256, s_label, salt, derived);
            }

            return new AesGcm(derived, TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(derived);
        }
    }

    /// <summary>"aws-kms-hierarchy" ‖ branch key id ‖ version bytes ‖ the serialized encryption context.</summary>
    private static byte[] Aad(string branchKeyId, ReadOnlySpan<byte> version, byte[] serializedContext)
    {
        int idLength = Encoding.UTF8.GetByteCount(branchKeyId);
        byte[] aad = new byte[s_label.Length + idLength + VersionLength + serializedContext.Length];
        s_label.CopyTo(aad, 0);
        Encoding.UTF8.GetBytes(branchKeyId, aad.AsSpan(s_label.Length));
        version.CopyTo(aad.AsSpan(s_label.Length + idLength));
        serializedContext.CopyTo(aad, s_label.Length + idLength + VersionLength);
        return aad;
    }

    private async ValueTask<string> BranchKeyIdAsync(IReadOnlyDictionary<string, string> context, CancellationToken cancellationToken)
    {
        if (_branchKeyId is not null)
        {
            return _branchKeyId;
        }

        string id = await _supplier!.GetBranchKeyIdAsync(context, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrEmpty(id) ? throw new MaterialProvidersException("The branch key id supplier returned no branch key id.") : id;
    }
}
