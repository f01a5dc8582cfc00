using System.Collections.ObjectModel;
using System.Security.Cryptography;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// What a materials manager hands the encryptor: the suite, the encryption context, and the
/// plaintext data key (in unmanaged memory, zeroed when the last holder disposes it). A cache may
/// give the same materials to many messages: each gets its own <see cref="IDisposable"/> handle on
/// the shared key, so evicting an entry never pulls a key from under a message in flight.
/// </summary>
public abstract class CryptoMaterials : IDisposable
{
    private SecretBuffer? _dataKey;
    private bool _disposed;

    private protected CryptoMaterials(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(encryptionContext);
        Suite = suite;
        EncryptionContext = encryptionContext;
    }

    /// <summary>The algorithm suite.</summary>
    public AlgorithmSuite Suite { get; }

    /// <summary>The full encryption context, including <c>aws-crypto-public-key</c> for signing suites.</summary>
    public IReadOnlyDictionary<string, string> EncryptionContext { get; private protected set; }

    /// <summary>Whether a keyring has supplied the plaintext data key.</summary>
    public bool HasPlaintextDataKey => _dataKey is not null;

    /// <summary>
    /// Sets the plaintext data key (keyrings do this once). The bytes are copied into protected
    /// memory; the caller zeroes its copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">A data key is already set.</exception>
    /// <exception cref="ArgumentException">The length is not the suite's data key length.</exception>
    public void SetPlaintextDataKey(ReadOnlySpan<byte> dataKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_dataKey is not null)
        {
            throw new InvalidOperationException("The materials already have a plaintext data key; a keyring must not replace it.");
        }

        if (dataKey.Length != Suite.DataKeyLength)
        {
            throw new ArgumentException($"{Suite} needs a {Suite.DataKeyLength}-byte data key; got {dataKey.Length} bytes.", nameof(dataKey));
        }

        _dataKey = SecretBuffer.Copy(dataKey);
    }

    /// <summary>Copies the plaintext data key into <paramref name="destination"/> (for keyrings that wrap it).</summary>
    /// <exception cref="InvalidOperationException">No data key is set.</exception>
    public void CopyPlaintextDataKey(Span<byte> destination)
    {
        using SecretLease lease = LeaseDataKey();
        lease.Span.CopyTo(destination);
    }

    internal SecretLease LeaseDataKey()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return (_dataKey ?? throw new InvalidOperationException("The materials have no plaintext data key.")).Lease();
    }

    /// <summary>Takes a second reference on the data key for a shared copy; false when it is gone.</summary>
    private protected bool TryShareDataKeyInto(CryptoMaterials copy)
    {
        if (_dataKey is null || !_dataKey.TryAddReference())
        {
            return false;
        }

        copy._dataKey = _dataKey;
        copy._sharedKey = true;
        return true;
    }

    private bool _sharedKey;

    /// <summary>For tests: whether the data key's memory has been zeroed and freed.</summary>
    internal bool IsDataKeyReleased => _dataKey is { IsClosed: true };

    /// <summary>Releases this holder's hold on the data key (zeroed once no holder is left).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_dataKey is not null)
        {
            if (_sharedKey)
            {
                _dataKey.ReleaseReference();
            }
            else
            {
                _dataKey.Dispose();
            }
        }

        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private protected virtual void DisposeCore()
    {
    }

    internal static IReadOnlyDictionary<string, string> Freeze(IReadOnlyDictionary<string, string>? context) =>
        context is null || context.Count == 0
            ? ReadOnlyDictionary<string, string>.Empty
            : new ReadOnlyDictionary<string, string>(context.ToDictionary(StringComparer.Ordinal));

    /// <summary>Suite and sizes only; never the key.</summary>
    /// <summary>
    /// Context keys whose pairs the message's header does not store: the caller supplies them again to decrypt, and the
    /// header's tag authenticates them all the same (the required encryption context).
    /// </summary>
    public IReadOnlyList<string> RequiredEncryptionContextKeys { get; private protected set; } = [];

    /// <summary>Marks <paramref name="keys"/> (keys of <see cref="EncryptionContext"/>) as required encryption context.</summary>
    /// <param name="keys">Keys of <see cref="EncryptionContext"/>.</param>
    /// <exception cref="ArgumentException">A key is not in the encryption context, or is <c>aws-crypto-public-key</c>.</exception>
    public void SetRequiredEncryptionContextKeys(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ObjectDisposedException.ThrowIf(_disposed, this);
        string[] required = [.. keys.Distinct(StringComparer.Ordinal)];
        foreach (string key in required)
        {
            if (!EncryptionContext.ContainsKey(key) || key == DefaultCryptoMaterialsManager.PublicKeyContextKey)
            {
                throw new ArgumentException($"The required encryption context key '{key}' is not a caller's key of the materials' encryption context.", nameof(keys));
            }
        }

        RequiredEncryptionContextKeys = required;
        OnRequiredEncryptionContextKeysSet();
    }

    /// <summary>Lets encryption materials re-encode what the header stores.</summary>
    private protected virtual void OnRequiredEncryptionContextKeysSet()
    {
    }

    /// <summary>The canonical encoding of the required pairs, which the header's tag covers after the header body (empty when none).</summary>
    internal byte[] SerializedRequiredEncryptionContext() => RequiredEncryptionContextKeys.Count == 0
        ? []
        : EnvelopeContext.Serialize(RequiredEncryptionContextKeys.ToDictionary(k => k, k => EncryptionContext[k], StringComparer.Ordinal));

    public override string ToString() => $"{GetType().Name}({Suite}, {EncryptionContext.Count} context pairs, data key {(HasPlaintextDataKey ? "set" : "not set")})";
}

/// <summary>Materials for encrypting one message (or, from a cache, several).</summary>
public sealed class EncryptionMaterials : CryptoMaterials
{
    private readonly List<EncryptedDataKey> _encryptedDataKeys;
    private SigningKeyHolder? _signingKey;

    /// <summary>
    /// Creates materials for <paramref name="suite"/> with the caller's encryption context. For a signing suite a new
    /// ECDSA key pair on the suite's curve is made here: its public key joins the context as
    /// <c>aws-crypto-public-key</c> and its private key signs the message (and is disposed with these materials), so a
    /// materials manager of your own needs nothing more for signing suites.
    /// </summary>
    /// <exception cref="ValidationException">The context cannot be encoded (a lone surrogate, an empty key, over 65535 bytes), or it already holds <c>aws-crypto-public-key</c>.</exception>
    public EncryptionMaterials(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext)
        : this(suite, encryptionContext, suite?.IsSigning == true ? ECDsa.Create(suite.SignatureCurve!.Value) : null)
    {
    }

    private EncryptionMaterials(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext, ECDsa? signingKey)
        : base(suite, WithPublicKey(encryptionContext, signingKey))
    {
        _encryptedDataKeys = [];
        try
        {
            SerializedEncryptionContext = EnvelopeContext.Serialize(EncryptionContext);
        }
        catch
        {
            signingKey?.Dispose();
            throw;
        }

        _signingKey = signingKey is null ? null : new SigningKeyHolder(signingKey);
    }

    /// <summary>The context with the signing key's public half added; the caller's context must not hold that key already.</summary>
    private static IReadOnlyDictionary<string, string> WithPublicKey(IReadOnlyDictionary<string, string> encryptionContext, ECDsa? signingKey)
    {
        ArgumentNullException.ThrowIfNull(encryptionContext);
        if (encryptionContext.ContainsKey(DefaultCryptoMaterialsManager.PublicKeyContextKey))
        {
            signingKey?.Dispose();
            throw new ValidationException("EncryptionContext", $"The encryption context must not contain the reserved key '{DefaultCryptoMaterialsManager.PublicKeyContextKey}'.");
        }

        return signingKey is null
            ? Freeze(encryptionContext)
            : Freeze(new Dictionary<string, string>(encryptionContext, StringComparer.Ordinal) { [DefaultCryptoMaterialsManager.PublicKeyContextKey] = Format.MessageCrypto.EncodePublicKey(signingKey) });
    }

    private EncryptionMaterials(EncryptionMaterials source)
        : base(source.Suite, source.EncryptionContext)
    {
        _encryptedDataKeys = source._encryptedDataKeys;
        SerializedEncryptionContext = source.SerializedEncryptionContext;
        RequiredEncryptionContextKeys = source.RequiredEncryptionContextKeys;
    }

    /// <summary>
    /// The canonical encoding of the context the header stores (<see cref="CryptoMaterials.EncryptionContext"/> less
    /// the required keys), made once and shared by cached copies.
    /// </summary>
    internal byte[] SerializedEncryptionContext { get; private set; }

    private protected override void OnRequiredEncryptionContextKeysSet() =>
        SerializedEncryptionContext = EnvelopeContext.Serialize(EncryptionContext.Where(p => !RequiredEncryptionContextKeys.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));

    /// <summary>
    /// What a keyring that wraps data keys does on encrypt: hands <paramref name="wrap"/> the data key (generated from
    /// the CSPRNG when no keyring has set one yet) and adds the encrypted copy it returns. A generated key is set only
    /// once wrapping succeeded, so a keyring that fails leaves the materials as they were; the key's copy is zeroed.
    /// </summary>
    internal void WrapDataKey<TState>(DataKeyWrap<TState> wrap, TState state)
    {
        Span<byte> dataKey = stackalloc byte[Suite.DataKeyLength];
        try
        {
            bool generated = !HasPlaintextDataKey;
            if (generated)
            {
                RandomNumberGenerator.Fill(dataKey);
            }
            else
            {
                CopyPlaintextDataKey(dataKey);
            }

            EncryptedDataKey encrypted = wrap(dataKey, state);
            if (generated)
            {
                SetPlaintextDataKey(dataKey);
            }

            AddEncryptedDataKey(encrypted);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The encrypted copies of the data key, one per keyring key.</summary>
    public IReadOnlyList<EncryptedDataKey> EncryptedDataKeys => _encryptedDataKeys;

    /// <summary>Adds an encrypted copy of the data key (keyrings do this).</summary>
    public void AddEncryptedDataKey(EncryptedDataKey encryptedDataKey)
    {
        ArgumentNullException.ThrowIfNull(encryptedDataKey);
        _encryptedDataKeys.Add(encryptedDataKey);
    }

    internal ECDsa? SigningKey => _signingKey?.Key;

    /// <summary>A second handle on the same materials, for a cache hit; null when they were released meanwhile.</summary>
    internal EncryptionMaterials? Share()
    {
        var copy = new EncryptionMaterials(this);
        if (!TryShareDataKeyInto(copy))
        {
            return null;
        }

        if (_signingKey is not null)
        {
            _signingKey.AddReference();
            copy._signingKey = _signingKey;
        }

        return copy;
    }

    private protected override void DisposeCore() => _signingKey?.Release();
}

/// <summary>Materials for decrypting one message.</summary>
public sealed class DecryptionMaterials : CryptoMaterials
{
    /// <summary>
    /// Creates materials for <paramref name="suite"/> with the message's full encryption context. For a signing
    /// suite the verification key is read here from the context's <c>aws-crypto-public-key</c>, so a materials manager
    /// of your own needs nothing more for signing suites.
    /// </summary>
    /// <exception cref="BadCiphertextException">
    /// A signing suite's context lacks <c>aws-crypto-public-key</c> or holds no point of the suite's curve there, or a
    /// non-signing suite's context has one.
    /// </exception>
    public DecryptionMaterials(AlgorithmSuite suite, IReadOnlyDictionary<string, string> encryptionContext)
        : base(suite, Freeze(encryptionContext))
    {
        const string PublicKey = DefaultCryptoMaterialsManager.PublicKeyContextKey;
        bool hasPublicKey = EncryptionContext.TryGetValue(PublicKey, out string? publicKey);
        if (suite.IsSigning != hasPublicKey)
        {
            throw new BadCiphertextException(suite.IsSigning
                ? $"The message uses signing suite {suite} but its context has no {PublicKey}."
                : $"The message uses non-signing suite {suite} but its context has a {PublicKey}.");
        }

        if (suite.IsSigning)
        {
            VerificationKey = Format.MessageCrypto.DecodePublicKey(suite, publicKey!);
        }
    }

    private DecryptionMaterials(DecryptionMaterials source)
        : base(source.Suite, source.EncryptionContext)
    {
        RequiredEncryptionContextKeys = source.RequiredEncryptionContextKeys;
        VerificationKey = source.VerificationKey;
        DecryptedDataKey = source.DecryptedDataKey;
    }

    /// <summary>The encrypted data key the plaintext data key came from (set by the keyring that decrypted it), if it said.</summary>
    public EncryptedDataKey? DecryptedDataKey { get; private set; }

    /// <summary>
    /// Sets the plaintext data key a keyring decrypted from <paramref name="decryptedFrom"/>, and records which
    /// encrypted data key that was (<see cref="DecryptOutput.DecryptedDataKey"/> reports it).
    /// </summary>
    /// <param name="dataKey">The plaintext data key; copied into protected memory, the caller zeroes its copy.</param>
    /// <param name="decryptedFrom">The message's encrypted data key it came from.</param>
    /// <exception cref="InvalidOperationException">A data key is already set.</exception>
    /// <exception cref="ArgumentException">The length is not the suite's data key length.</exception>
    public void SetPlaintextDataKey(ReadOnlySpan<byte> dataKey, EncryptedDataKey decryptedFrom)
    {
        ArgumentNullException.ThrowIfNull(decryptedFrom);
        SetPlaintextDataKey(dataKey);
        DecryptedDataKey = decryptedFrom;
    }

    /// <summary>The ECDSA public key of signing suites (from <c>aws-crypto-public-key</c>).</summary>
    internal ECDsa? VerificationKey { get; private set; }

    internal DecryptionMaterials? Share()
    {
        var copy = new DecryptionMaterials(this);
        return TryShareDataKeyInto(copy) ? copy : null;
    }
}

/// <summary>Reference-counts an ECDSA signing key shared by cached materials; disposes it with the last holder.</summary>
/// <summary>Wraps a data key into an encrypted data key (see <see cref="EncryptionMaterials.WrapDataKey"/>).</summary>
internal delegate EncryptedDataKey DataKeyWrap<TState>(ReadOnlySpan<byte> dataKey, TState state);

internal sealed class SigningKeyHolder(ECDsa key)
{
    private int _references = 1;

    public ECDsa Key { get; } = key;

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Key.Dispose();
        }
    }
}
