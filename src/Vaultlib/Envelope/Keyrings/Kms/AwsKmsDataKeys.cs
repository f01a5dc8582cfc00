using System.Security.Cryptography;
using System.Text;
using Vaultlib.Internal;
using Vaultlib.Keys;

namespace Vaultlib.Envelope;

/// <summary>
/// What every AWS KMS keyring does with KMS, once: generate or encrypt a data key under one KMS key and check
/// the answer, and try encrypted data keys one at a time, collecting each failure, until one decrypts to a
/// data key of the suite's length under the expected key (Material Providers Library, <c>aws-kms-keyring.md</c>).
/// </summary>
internal static class AwsKmsDataKeys
{
    /// <summary>The key provider id of KMS-wrapped data keys.</summary>
    public const string ProviderId = "aws-kms";

    /// <summary>Generates the data key under <paramref name="keyId"/> when the materials have none, else encrypts a copy under it.</summary>
    public static async ValueTask EncryptAsync(IKmsKeyringClient client, string keyId, IReadOnlyList<string>? grantTokens, EncryptionMaterials materials, CancellationToken cancellationToken)
    {
        if (!materials.HasPlaintextDataKey)
        {
            GenerateDataKeyResponse generated = await client.GenerateDataKeyAsync(
                new GenerateDataKeyRequest { KeyId = keyId, NumberOfBytes = materials.Suite.DataKeyLength, EncryptionContext = materials.EncryptionContext, GrantTokens = grantTokens },
                cancellationToken).ConfigureAwait(false);
            try
            {
                if (generated.Plaintext.Length != materials.Suite.DataKeyLength)
                {
                    throw new MaterialProvidersException($"KMS GenerateDataKey under {keyId} returned a {generated.Plaintext.Length}-byte data key; {materials.Suite} needs {materials.Suite.DataKeyLength}.");
                }

                materials.SetPlaintextDataKey(generated.Plaintext.Span);
            }
            finally
            {
                MemoryMarshalHelpers.Zero(generated.Plaintext);
            }

            materials.AddEncryptedDataKey(Edk(RequireKeyArn(generated.KeyId, "GenerateDataKey"), generated.CiphertextBlob));
            return;
        }

        byte[] dataKey = new byte[materials.Suite.DataKeyLength];
        try
        {
            materials.CopyPlaintextDataKey(dataKey);
            EncryptResponse encrypted = await client.EncryptAsync(
                new EncryptRequest { KeyId = keyId, Plaintext = dataKey, EncryptionContext = materials.EncryptionContext, GrantTokens = grantTokens },
                cancellationToken).ConfigureAwait(false);
            materials.AddEncryptedDataKey(Edk(RequireKeyArn(encrypted.KeyId, "Encrypt"), encrypted.CiphertextBlob));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Tries each <c>aws-kms</c> encrypted data key whose provider info is a key ARN that <paramref name="keyIdFor"/>
    /// accepts (returning the KeyId to call Decrypt with, or null to skip it); the response must name that KeyId.
    /// On success the materials hold the data key; otherwise a <see cref="CannotUnwrapDataKeyException"/> carries every failure.
    /// </summary>
    /// <exception cref="MaterialProvidersException">An <c>aws-kms</c> encrypted data key's provider info is not a key ARN.</exception>
    public static ValueTask DecryptAsync(
        IKmsKeyringClient client, IReadOnlyList<string>? grantTokens, DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys,
        Func<AwsKmsArn, string, string?> keyIdFor, object keyring, CancellationToken cancellationToken) =>
        DecryptAsync(client, grantTokens, materials, encryptedDataKeys, keyIdFor, keyring, Unwrap.Symmetric, cancellationToken);

    /// <summary>
    /// As the symmetric form, for other provider ids and unwrappings: the KMS keyring over RSA keys sends the
    /// encryption algorithm and no encryption context, and finds the context's digest before the data key.
    /// </summary>
    public static async ValueTask DecryptAsync(
        IKmsKeyringClient client, IReadOnlyList<string>? grantTokens, DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys,
        Func<AwsKmsArn, string, string?> keyIdFor, object keyring, Unwrap unwrap, CancellationToken cancellationToken)
    {
        var errors = new List<Exception>();
        int tried = 0;
        foreach (EncryptedDataKey edk in encryptedDataKeys)
        {
            if (edk.KeyProviderId != unwrap.ProviderId)
            {
                continue;
            }

            string providerInfo = DecodeProviderInfo(edk);
            AwsKmsArn arn = AwsKmsArn.ParseKeyArn(providerInfo)
                ?? throw new MaterialProvidersException($"An {unwrap.ProviderId} encrypted data key's provider info is not a KMS key ARN: '{providerInfo}'.");
            string? keyId = keyIdFor(arn, providerInfo);
            if (keyId is null)
            {
                continue;
            }

            tried++;
            try
            {
                DecryptResponse decrypted = await client.DecryptAsync(
                    new DecryptRequest
                    {
                        KeyId = keyId,
                        CiphertextBlob = edk.Ciphertext,
                        EncryptionContext = unwrap.ContextDigest is null ? materials.EncryptionContext : null,
                        EncryptionAlgorithm = unwrap.Algorithm,
                        GrantTokens = grantTokens,
                    },
                    cancellationToken).ConfigureAwait(false);
                try
                {
                    if (decrypted.KeyId != keyId)
                    {
                        throw new MaterialProvidersException($"KMS Decrypt answered for {decrypted.KeyId}, not the requested {keyId}.");
                    }

                    ReadOnlySpan<byte> dataKey = unwrap.DataKey(decrypted.Plaintext.Span);
                    if (dataKey.Length != materials.Suite.DataKeyLength)
                    {
                        throw new MaterialProvidersException($"KMS Decrypt under {keyId} returned a {dataKey.Length}-byte data key; {materials.Suite} needs {materials.Suite.DataKeyLength}.");
                    }

                    materials.SetPlaintextDataKey(dataKey, edk);
                    return;
                }
                finally
                {
                    MemoryMarshalHelpers.Zero(decrypted.Plaintext);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add(e); // disabled, deleted, denied, tampered, answered wrongly: collect it and try the next
            }
        }

        throw CannotUnwrapDataKeyException.NoneDecrypted(keyring, encryptedDataKeys.Count, $"{tried} matched it", errors);
    }

    /// <summary>How a keyring's encrypted data keys are unwrapped by KMS Decrypt.</summary>
    /// <param name="ProviderId">The encrypted data keys' provider id.</param>
    /// <param name="Algorithm">The encryption algorithm to ask for; null for the symmetric default.</param>
    /// <param name="ContextDigest">For the RSA keyring: the SHA-384 digest of the encryption context, which precedes the data key in the plaintext.</param>
    internal sealed record Unwrap(string ProviderId, EncryptionAlgorithmSpec? Algorithm, byte[]? ContextDigest)
    {
        public static Unwrap Symmetric { get; } = new(AwsKmsDataKeys.ProviderId, null, null);

        /// <summary>The data key in KMS's plaintext, after checking the context digest when there is one.</summary>
        public ReadOnlySpan<byte> DataKey(ReadOnlySpan<byte> plaintext)
        {
            if (ContextDigest is null)
            {
                return plaintext;
            }

            // Stryker disable once Equality : a plaintext of just the digest leaves an empty data key, which the caller's length check refuses with the same MaterialProvidersException
            if (plaintext.Length < ContextDigest.Length || !CryptographicOperations.FixedTimeEquals(plaintext[..ContextDigest.Length], ContextDigest))
            {
                throw new MaterialProvidersException("The encrypted data key was made for another encryption context.");
            }

            return plaintext[ContextDigest.Length..];
        }
    }

    /// <summary>Refuses materials that already hold a data key (the keyrings that must not be asked twice).</summary>
    public static void RequireNoDataKey(DecryptionMaterials materials, object keyring)
    {
        if (materials.HasPlaintextDataKey)
        {
            throw new MaterialProvidersException($"The decryption materials already hold a data key; {keyring} must not be asked to decrypt another.");
        }
    }

    /// <summary>Checks a keyring's KMS key identifier at construction.</summary>
    public static string RequireIdentifier(string keyId, string paramName) => AwsKmsArn.IsValidIdentifier(keyId)
        ? keyId
        : throw new ArgumentException($"'{keyId}' is not a KMS key identifier (a key or alias ARN, an alias name, or a key id).", paramName);

    /// <summary>A copy of the grant tokens, or null for none.</summary>
    public static IReadOnlyList<string>? Copy(IEnumerable<string>? grantTokens) => grantTokens is null ? null : [.. grantTokens];

    private static string RequireKeyArn(string keyId, string operation) => AwsKmsArn.ParseKeyArn(keyId) is not null
        ? keyId
        : throw new MaterialProvidersException($"KMS {operation} answered with KeyId '{keyId}', which is not a KMS key ARN.");

    private static string DecodeProviderInfo(EncryptedDataKey edk) => StrictUtf8.TryDecode(edk.KeyProviderInfo.Span, out string? providerInfo)
        ? providerInfo
        : throw new MaterialProvidersException("An aws-kms encrypted data key's provider info is not UTF-8.");

    private static EncryptedDataKey Edk(string keyArn, ReadOnlyMemory<byte> ciphertext) =>
        new() { KeyProviderId = ProviderId, KeyProviderInfo = Encoding.UTF8.GetBytes(keyArn), Ciphertext = ciphertext };
}

/// <summary>The KMS key, client and grant tokens of a single-key AWS KMS keyring, checked once.</summary>
internal sealed record KmsKeyTarget(IKmsKeyringClient Client, string KeyId, IReadOnlyList<string>? GrantTokens)
{
    /// <exception cref="ArgumentException"><paramref name="kmsKeyId"/> is not a KMS key identifier.</exception>
    public static KmsKeyTarget Create(string kmsKeyId, IKmsKeyringClient client, IEnumerable<string>? grantTokens, string paramName)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client, AwsKmsDataKeys.RequireIdentifier(kmsKeyId, paramName), AwsKmsDataKeys.Copy(grantTokens));
    }

    /// <summary>Generates the data key under this key, or encrypts a copy under it.</summary>
    public ValueTask EncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(materials);
        return AwsKmsDataKeys.EncryptAsync(Client, KeyId, GrantTokens, materials, cancellationToken);
    }
}

/// <summary>The client, filter and grant tokens of an AWS KMS discovery keyring, checked once.</summary>
internal sealed record KmsDiscovery(IKmsKeyringClient Client, DiscoveryFilter? Filter, IReadOnlyList<string>? GrantTokens)
{
    /// <exception cref="ArgumentException">The filter has no partition or no account.</exception>
    public static KmsDiscovery Create(IKmsKeyringClient client, DiscoveryFilter? filter, IEnumerable<string>? grantTokens)
    {
        ArgumentNullException.ThrowIfNull(client);
        filter?.Validate();
        return new(client, filter, AwsKmsDataKeys.Copy(grantTokens));
    }

    /// <summary>Whether the filter (if any) allows a key.</summary>
    public bool Allows(AwsKmsArn arn) => Filter is null || Filter.Allows(arn);

    /// <summary>The filter, for <c>ToString</c>.</summary>
    public string Describe() => Filter is null ? "any account" : $"{Filter.Partition}: {string.Join(", ", Filter.AccountIds)}";
}

