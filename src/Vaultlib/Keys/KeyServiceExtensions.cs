namespace Vaultlib.Keys;

/// <summary>Shorter forms of the common <see cref="IKeyService"/> calls; each builds the AWS-shaped request.</summary>
public static class KeyServiceExtensions
{
    /// <summary>
    /// The same key service, with every call made as <paramref name="caller"/> (the explicit form of
    /// <see cref="Authorization.VaultlibCaller.Use"/>), as an AWS client made with that principal's credentials.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="keys"/> is not one of Vaultlib's key services (a caller can only be bound where the pipeline reads it).</exception>
    public static IKeyService AsCaller(this IKeyService keys, Authorization.CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(caller);
        return keys is KeyService service
            ? service.AsCaller(caller)
            : throw new ArgumentException($"AsCaller binds a caller to Vaultlib's own key services; {keys.GetType().Name} is not one. Bind the caller where that implementation reads it.", nameof(keys));
    }

    /// <summary>Creates a symmetric encryption key with an optional description.</summary>
    public static async Task<KeyMetadata> CreateKeyAsync(this IKeyService keys, string? description = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        CreateKeyResponse response = await keys.CreateKeyAsync(new CreateKeyRequest { Description = description }, cancellationToken).ConfigureAwait(false);
        return response.KeyMetadata;
    }

    /// <summary>Encrypts up to 4096 bytes and returns the ciphertext blob.</summary>
    public static async Task<ReadOnlyMemory<byte>> EncryptAsync(
        this IKeyService keys, string keyId, ReadOnlyMemory<byte> plaintext, IReadOnlyDictionary<string, string>? encryptionContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        EncryptResponse response = await keys.EncryptAsync(new EncryptRequest { KeyId = keyId, Plaintext = plaintext, EncryptionContext = encryptionContext }, cancellationToken).ConfigureAwait(false);
        return response.CiphertextBlob;
    }

    /// <summary>Decrypts a ciphertext blob and returns the plaintext (the caller should zero it when done).</summary>
    public static async Task<ReadOnlyMemory<byte>> DecryptAsync(
        this IKeyService keys, ReadOnlyMemory<byte> ciphertextBlob, IReadOnlyDictionary<string, string>? encryptionContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        DecryptResponse response = await keys.DecryptAsync(new DecryptRequest { CiphertextBlob = ciphertextBlob, EncryptionContext = encryptionContext }, cancellationToken).ConfigureAwait(false);
        return response.Plaintext;
    }

    /// <summary>Generates a data key of <paramref name="keySpec"/> (default AES_256).</summary>
    public static Task<GenerateDataKeyResponse> GenerateDataKeyAsync(
        this IKeyService keys, string keyId, DataKeySpec keySpec = DataKeySpec.AES_256, IReadOnlyDictionary<string, string>? encryptionContext = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = keySpec, EncryptionContext = encryptionContext }, cancellationToken);
    }
}
