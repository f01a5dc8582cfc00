using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// Wraps data keys with an AES-GCM key you hold (the ESDK's raw AES keyring): a fresh 12-byte IV
/// per data key, a 128-bit tag, and the canonical encryption context as AAD. Provider info is
/// <c>keyName ‖ UInt32 128 ‖ UInt32 12 ‖ IV</c>, byte-compatible with every AWS Encryption SDK.
/// </summary>
public sealed class RawAesKeyring : IKeyring, IDisposable
{
    private const int IvLength = 12;
    private const int TagLength = 16;

    private readonly SecretBuffer _wrappingKey;
    private readonly byte[] _keyNameBytes;

    /// <summary>Creates the keyring.</summary>
    /// <param name="keyNamespace">The key provider id written into the message; must not start with <c>aws-kms</c>.</param>
    /// <param name="keyName">The key's name within the namespace.</param>
    /// <param name="wrappingKey">A 16-, 24- or 32-byte AES key. Copied; the caller zeroes its copy.</param>
    /// <exception cref="ArgumentException">A name is empty or reserved, or the key length is wrong.</exception>
    public RawAesKeyring(string keyNamespace, string keyName, ReadOnlySpan<byte> wrappingKey)
    {
        RawKeyringNames.Validate(keyNamespace, keyName);
        if (wrappingKey.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"An AES wrapping key is 16, 24 or 32 bytes; got {wrappingKey.Length}.", nameof(wrappingKey));
        }

        KeyNamespace = keyNamespace;
        KeyName = keyName;
        _keyNameBytes = Encoding.UTF8.GetBytes(keyName);
        _wrappingKey = SecretBuffer.Copy(wrappingKey);
    }

    /// <summary>The key provider id.</summary>
    public string KeyNamespace { get; }

    /// <summary>The key name.</summary>
    public string KeyName { get; }

    /// <inheritdoc/>
    public ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        byte[] aad = EnvelopeContext.Serialize(materials.EncryptionContext);
        materials.WrapDataKey(static (dataKey, state) =>
        {
            (RawAesKeyring keyring, byte[] aad) = state;
            byte[] providerInfo = new byte[keyring._keyNameBytes.Length + 8 + IvLength];
            keyring._keyNameBytes.CopyTo(providerInfo, 0);
            BinaryPrimitives.WriteUInt32BigEndian(providerInfo.AsSpan(keyring._keyNameBytes.Length), TagLength * 8);
            BinaryPrimitives.WriteUInt32BigEndian(providerInfo.AsSpan(keyring._keyNameBytes.Length + 4), IvLength);
            Span<byte> iv = providerInfo.AsSpan(keyring._keyNameBytes.Length + 8, IvLength);
            Nonces.Fill(iv);

            byte[] ciphertext = new byte[dataKey.Length + TagLength];
            using (SecretLease key = keyring._wrappingKey.Lease())
            using (var gcm = new AesGcm(key.Span, TagLength))
            {
                gcm.Encrypt(iv, dataKey, ciphertext.AsSpan(0, dataKey.Length), ciphertext.AsSpan(dataKey.Length), aad);
            }

            return new EncryptedDataKey { KeyProviderId = keyring.KeyNamespace, KeyProviderInfo = providerInfo, Ciphertext = ciphertext };
        }, (this, aad));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        if (materials.HasPlaintextDataKey)
        {
            return ValueTask.CompletedTask;
        }

        int keyLength = materials.Suite.DataKeyLength;
        byte[]? aad = null;
        Span<byte> dataKey = stackalloc byte[keyLength];
        try
        {
            foreach (EncryptedDataKey edk in encryptedDataKeys)
            {
                ReadOnlySpan<byte> info = edk.KeyProviderInfo.Span;
                if (edk.KeyProviderId != KeyNamespace
                    || info.Length != _keyNameBytes.Length + 8 + IvLength
                    || !info.StartsWith(_keyNameBytes)
                    || BinaryPrimitives.ReadUInt32BigEndian(info[_keyNameBytes.Length..]) != TagLength * 8
                    || BinaryPrimitives.ReadUInt32BigEndian(info[(_keyNameBytes.Length + 4)..]) != IvLength
                    || edk.Ciphertext.Length != keyLength + TagLength)
                {
                    continue;
                }

                aad ??= EnvelopeContext.Serialize(materials.EncryptionContext);
                ReadOnlySpan<byte> ciphertext = edk.Ciphertext.Span;
                try
                {
                    using SecretLease key = _wrappingKey.Lease();
                    using var gcm = new AesGcm(key.Span, TagLength);
                    gcm.Decrypt(info[(_keyNameBytes.Length + 8)..], ciphertext[..keyLength], ciphertext[keyLength..], dataKey, aad);
                }
                catch (AuthenticationTagMismatchException)
                {
                    continue;
                }

                materials.SetPlaintextDataKey(dataKey, edk);
                return ValueTask.CompletedTask;
            }

            return ValueTask.CompletedTask;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>Zeroes the wrapping key.</summary>
    public void Dispose() => _wrappingKey.Dispose();

    /// <summary>Namespace and name only.</summary>
    public override string ToString() => $"RawAesKeyring({KeyNamespace}, {KeyName})";
}

internal static class RawKeyringNames
{
    public static void Validate(string keyNamespace, string keyName)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyNamespace);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        if (keyNamespace.StartsWith("aws-kms", StringComparison.Ordinal))
        {
            throw new ArgumentException("A raw keyring's namespace must not start with 'aws-kms'; that provider id is reserved for KMS keyrings.", nameof(keyNamespace));
        }

        if (Encoding.UTF8.GetByteCount(keyNamespace) > ushort.MaxValue || Encoding.UTF8.GetByteCount(keyName) > ushort.MaxValue - 20)
        {
            throw new ArgumentException("Key namespaces and names are limited to 65535 UTF-8 bytes.", nameof(keyName));
        }
    }
}
