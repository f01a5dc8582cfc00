using System.Security.Cryptography;
using System.Text;

namespace Vaultlib.Envelope;

/// <summary>The RSA padding of a <see cref="RawRsaKeyring"/>, named as in the AWS Material Providers Library.</summary>
public enum RsaPaddingScheme
{
    /// <summary>PKCS #1 v1.5.</summary>
    PKCS1,

    /// <summary>OAEP with SHA-1 and MGF1-SHA-1.</summary>
    OAEP_SHA1_MGF1,

    /// <summary>OAEP with SHA-256 and MGF1-SHA-256.</summary>
    OAEP_SHA256_MGF1,

    /// <summary>OAEP with SHA-384 and MGF1-SHA-384.</summary>
    OAEP_SHA384_MGF1,

    /// <summary>OAEP with SHA-512 and MGF1-SHA-512.</summary>
    OAEP_SHA512_MGF1,
}

/// <summary>
/// Encrypts data keys to an RSA public key and decrypts them with the private key (the ESDK's raw
/// RSA keyring). Provider info is the key name. Either key may be absent: a public-only keyring can
/// only encrypt, a private-only one only decrypt.
/// </summary>
public sealed class RawRsaKeyring : IKeyring, IDisposable
{
    private readonly RSA? _publicKey;
    private readonly RSA? _privateKey;
    private readonly RSAEncryptionPadding _padding;
    private readonly byte[] _keyNameBytes;

    /// <summary>Creates the keyring from PEM: SubjectPublicKeyInfo and/or PKCS #8.</summary>
    /// <exception cref="ArgumentException">Neither key is given, or a PEM does not hold an RSA key.</exception>
    public RawRsaKeyring(string keyNamespace, string keyName, RsaPaddingScheme paddingScheme, string? publicKeyPem, string? privateKeyPem)
        : this(keyNamespace, keyName, paddingScheme, ImportPem(publicKeyPem, nameof(publicKeyPem)), ImportPem(privateKeyPem, nameof(privateKeyPem)))
    {
    }

    /// <summary>Creates the keyring from RSA objects, which it takes ownership of and disposes.</summary>
    /// <exception cref="ArgumentException">Neither key is given.</exception>
    public RawRsaKeyring(string keyNamespace, string keyName, RsaPaddingScheme paddingScheme, RSA? publicKey, RSA? privateKey)
    {
        RawKeyringNames.Validate(keyNamespace, keyName);
        if (publicKey is null && privateKey is null)
        {
            throw new ArgumentException("A raw RSA keyring needs a public key (to encrypt), a private key (to decrypt), or both.", nameof(publicKey));
        }

        _padding = paddingScheme switch
        {
            RsaPaddingScheme.PKCS1 => RSAEncryptionPadding.Pkcs1,
            RsaPaddingScheme.OAEP_SHA1_MGF1 => RSAEncryptionPadding.OaepSHA1,
            RsaPaddingScheme.OAEP_SHA256_MGF1 => RSAEncryptionPadding.OaepSHA256,
            RsaPaddingScheme.OAEP_SHA384_MGF1 => RSAEncryptionPadding.OaepSHA384,
            RsaPaddingScheme.OAEP_SHA512_MGF1 => RSAEncryptionPadding.OaepSHA512,
            _ => throw new ArgumentOutOfRangeException(nameof(paddingScheme), paddingScheme, "Unknown RSA padding scheme."),
        };
        KeyNamespace = keyNamespace;
        KeyName = keyName;
        PaddingScheme = paddingScheme;
        _keyNameBytes = Encoding.UTF8.GetBytes(keyName);
        _publicKey = publicKey;
        _privateKey = privateKey;
    }

    /// <summary>The key provider id.</summary>
    public string KeyNamespace { get; }

    /// <summary>The key name (the provider info).</summary>
    public string KeyName { get; }

    /// <summary>The padding.</summary>
    public RsaPaddingScheme PaddingScheme { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The keyring has no public key.</exception>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        RSA publicKey = _publicKey ?? throw new InvalidOperationException($"{this} has no public key, so it cannot encrypt.");
        materials.WrapDataKey(
            static (dataKey, state) => new EncryptedDataKey
            {
                KeyProviderId = state.Keyring.KeyNamespace,
                KeyProviderInfo = state.Keyring._keyNameBytes,
                Ciphertext = state.PublicKey.Encrypt(dataKey.ToArray(), state.Keyring._padding),
            },
            (Keyring: this, PublicKey: publicKey));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        if (materials.HasPlaintextDataKey || _privateKey is null)
        {
            return ValueTask.CompletedTask;
        }

        Span<byte> dataKey = stackalloc byte[_privateKey.KeySize / 8];
        try
        {
            foreach (EncryptedDataKey edk in encryptedDataKeys)
            {
                if (edk.KeyProviderId != KeyNamespace || !edk.KeyProviderInfo.Span.SequenceEqual(_keyNameBytes))
                {
                    continue;
                }

                int written = TryUnwrap(_privateKey, edk.Ciphertext.Span, dataKey, _padding);
                if (written == materials.Suite.DataKeyLength)
                {
                    materials.SetPlaintextDataKey(dataKey[..written], edk);
                    return ValueTask.CompletedTask;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Disposes the RSA keys.</summary>
    public void Dispose()
    {
        _publicKey?.Dispose();
        _privateKey?.Dispose();
    }

    /// <summary>Namespace, name and padding only.</summary>
    public override string ToString() => $"RawRsaKeyring({KeyNamespace}, {KeyName}, {PaddingScheme})";

    private static RSA? ImportPem(string? pem, string parameterName)
    {
        if (pem is null)
        {
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new ArgumentException("The PEM does not hold an RSA key (SubjectPublicKeyInfo or PKCS #8).", parameterName, ex);
        }
    }

    /// <summary>The length of the data key <paramref name="wrapped"/> opens to, or -1 when it does not open under this key.</summary>
    private static int TryUnwrap(RSA privateKey, ReadOnlySpan<byte> wrapped, Span<byte> dataKey, RSAEncryptionPadding padding)
    {
        try
        {
            return privateKey.TryDecrypt(wrapped, dataKey, padding, out int written) ? written : -1;
        }
        catch (CryptographicException)
        {
            return -1; // a padding failure is one more key that does not open
        }
    }
}
