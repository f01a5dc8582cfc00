using System.Security.Cryptography;
using System.Text;
using Vaultlib.Keys;

namespace Vaultlib.Envelope;

/// <summary>
/// Wraps data keys with KMS keys through an <see cref="IKeyService"/> (the ESDK's AWS KMS keyring):
/// provider id <c>aws-kms</c>, provider info the key ARN, ciphertext the KMS <c>CiphertextBlob</c>,
/// and the message's encryption context passed to KMS. The generator makes the data key with
/// <c>GenerateDataKey</c>; every other key encrypts a copy with <c>Encrypt</c>. On decrypt, only
/// encrypted data keys whose ARN is one of the keyring's keys are tried.
/// </summary>
public sealed class KmsKeyring : IKeyring
{
    /// <summary>The key provider id of KMS-wrapped data keys.</summary>
    public const string ProviderId = "aws-kms";

    private readonly IKeyService _keys;
    private readonly string? _generatorKeyId;
    private readonly IReadOnlyList<string> _keyIds;
    private volatile string[]? _arns;

    /// <summary>Creates the keyring.</summary>
    /// <param name="keys">The key service that holds the keys.</param>
    /// <param name="generatorKeyId">The key that generates data keys (any KeyId form); null for a keyring that only adds copies or decrypts.</param>
    /// <param name="additionalKeyIds">More keys that each get an encrypted copy, and may decrypt.</param>
    /// <exception cref="ArgumentException">No key is given.</exception>
    public KmsKeyring(IKeyService keys, string? generatorKeyId, IEnumerable<string>? additionalKeyIds = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _generatorKeyId = generatorKeyId;
        _keyIds = [.. (generatorKeyId is null ? [] : new[] { generatorKeyId }), .. additionalKeyIds ?? []];
        if (_keyIds.Count == 0)
        {
            throw new ArgumentException("A KMS keyring needs a generator key or at least one additional key.", nameof(generatorKeyId));
        }
    }

    /// <inheritdoc/>
    public async ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        int keyLength = materials.Suite.DataKeyLength;
        IEnumerable<string> wrappers = _keyIds;
        if (!materials.HasPlaintextDataKey)
        {
            if (_generatorKeyId is null)
            {
                throw new InvalidOperationException("This KMS keyring has no generator key, and no other keyring supplied a data key.");
            }

            GenerateDataKeyResponse generated = await _keys.GenerateDataKeyAsync(
                new GenerateDataKeyRequest { KeyId = _generatorKeyId, NumberOfBytes = keyLength, EncryptionContext = materials.EncryptionContext },
                cancellationToken).ConfigureAwait(false);
            try
            {
                materials.SetPlaintextDataKey(generated.Plaintext.Span);
            }
            finally
            {
                Zero(generated.Plaintext);
            }

            materials.AddEncryptedDataKey(Edk(generated.KeyId, generated.CiphertextBlob));
            wrappers = _keyIds.Skip(1);
        }

        byte[] dataKey = new byte[keyLength];
        try
        {
            materials.CopyPlaintextDataKey(dataKey);
            foreach (string keyId in wrappers)
            {
                EncryptResponse encrypted = await _keys.EncryptAsync(
                    new EncryptRequest { KeyId = keyId, Plaintext = dataKey, EncryptionContext = materials.EncryptionContext },
                    cancellationToken).ConfigureAwait(false);
                materials.AddEncryptedDataKey(Edk(encrypted.KeyId, encrypted.CiphertextBlob));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <inheritdoc/>
    public async ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        if (materials.HasPlaintextDataKey)
        {
            return;
        }

        string[] arns = _arns ??= await ResolveArnsAsync(cancellationToken).ConfigureAwait(false);
        foreach (EncryptedDataKey edk in encryptedDataKeys)
        {
            if (edk.KeyProviderId != ProviderId)
            {
                continue;
            }

            string arn = Encoding.UTF8.GetString(edk.KeyProviderInfo.Span);
            if (!arns.Contains(arn, StringComparer.Ordinal))
            {
                continue;
            }

            DecryptResponse decrypted;
            try
            {
                decrypted = await _keys.DecryptAsync(
                    new DecryptRequest { CiphertextBlob = edk.Ciphertext, EncryptionContext = materials.EncryptionContext, KeyId = arn },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (KeyManagementException)
            {
                continue; // disabled, deleted, tampered: this copy does not open; try the next
            }

            try
            {
                if (decrypted.KeyId == arn && decrypted.Plaintext.Length == materials.Suite.DataKeyLength)
                {
                    materials.SetPlaintextDataKey(decrypted.Plaintext.Span, edk);
                    return;
                }
            }
            finally
            {
                Zero(decrypted.Plaintext);
            }
        }
    }

    /// <summary>The key ids only.</summary>
    public override string ToString() => $"KmsKeyring({string.Join(", ", _keyIds)})";

    private static EncryptedDataKey Edk(string keyArn, ReadOnlyMemory<byte> ciphertext) =>
        new() { KeyProviderId = ProviderId, KeyProviderInfo = Encoding.UTF8.GetBytes(keyArn), Ciphertext = ciphertext };

    private async Task<string[]> ResolveArnsAsync(CancellationToken cancellationToken)
    {
        var arns = new List<string>(_keyIds.Count);
        foreach (string keyId in _keyIds)
        {
            try
            {
                DescribeKeyResponse described = await _keys.DescribeKeyAsync(new DescribeKeyRequest { KeyId = keyId }, cancellationToken).ConfigureAwait(false);
                arns.Add(described.KeyMetadata.Arn);
            }
            catch (NotFoundException)
            {
                // A key that no longer exists decrypts nothing; the others may still.
            }
        }

        return [.. arns];
    }

    private static void Zero(ReadOnlyMemory<byte> memory)
    {
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> segment))
        {
            CryptographicOperations.ZeroMemory(segment.AsSpan());
        }
    }
}
