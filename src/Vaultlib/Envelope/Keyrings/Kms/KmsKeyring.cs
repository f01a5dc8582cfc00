using Vaultlib.Keys;

namespace Vaultlib.Envelope;

/// <summary>
/// Wraps data keys with KMS keys through an <see cref="IKeyService"/> (the ESDK's AWS KMS keyring):
/// provider id <c>aws-kms</c>, provider info the key ARN, ciphertext the KMS <c>CiphertextBlob</c>,
/// and the message's encryption context passed to KMS. The generator makes the data key with
/// <c>GenerateDataKey</c>; every other key encrypts a copy with <c>Encrypt</c>. On decrypt, only
/// encrypted data keys whose ARN is one of the keyring's keys are tried: unlike <see cref="AwsKmsKeyring"/>, the
/// keyring resolves aliases and key ids to their ARNs (with <c>DescribeKey</c>) so any identifier decrypts.
/// </summary>
public sealed class KmsKeyring : IKeyring
{
    /// <summary>The key provider id of KMS-wrapped data keys.</summary>
    public const string ProviderId = AwsKmsDataKeys.ProviderId;

    private readonly IKeyService _keys;
    private readonly KeyServiceKeyringClient _client;
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
        _client = new KeyServiceKeyringClient(keys);
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
        if (!materials.HasPlaintextDataKey && _generatorKeyId is null)
        {
            throw new InvalidOperationException("This KMS keyring has no generator key, and no other keyring supplied a data key.");
        }

        foreach (string keyId in _keyIds)
        {
            await AwsKmsDataKeys.EncryptAsync(_client, keyId, null, materials, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="CannotUnwrapDataKeyException">No encrypted data key under one of its keys decrypted (every failure is inside).</exception>
    public async ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        ArgumentNullException.ThrowIfNull(encryptedDataKeys);
        if (materials.HasPlaintextDataKey)
        {
            return;
        }

        string[] arns = _arns ??= await ResolveArnsAsync(cancellationToken).ConfigureAwait(false);
        await AwsKmsDataKeys.DecryptAsync(
            _client, null, materials, encryptedDataKeys, (_, providerInfo) => arns.Contains(providerInfo, StringComparer.Ordinal) ? providerInfo : null, this, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>The key ids only.</summary>
    public override string ToString() => $"KmsKeyring({string.Join(", ", _keyIds)})";

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
}
