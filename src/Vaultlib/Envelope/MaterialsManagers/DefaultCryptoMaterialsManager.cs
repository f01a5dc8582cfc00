namespace Vaultlib.Envelope;

/// <summary>
/// The ESDK's default CMM over one keyring: chooses the suite (the policy's default unless asked),
/// makes a fresh ECDSA key pair per message for signing suites and puts its public key in the
/// context as <c>aws-crypto-public-key</c>, and asks the keyring for the data key.
/// </summary>
public sealed class DefaultCryptoMaterialsManager : ICryptoMaterialsManager
{
    /// <summary>The reserved context key that carries a signing suite's public key.</summary>
    public const string PublicKeyContextKey = "aws-crypto-public-key";

    private readonly IKeyring _keyring;

    /// <summary>Creates the CMM over <paramref name="keyring"/>.</summary>
    public DefaultCryptoMaterialsManager(IKeyring keyring)
    {
        ArgumentNullException.ThrowIfNull(keyring);
        _keyring = keyring;
    }

    /// <summary>The suite a policy encrypts with when the caller names none.</summary>
    public static AlgorithmSuite DefaultSuite(CommitmentPolicy policy) => policy == CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
        ? AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384
        : AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;

    /// <inheritdoc/>
    public async ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        AlgorithmSuite suite = input.AlgorithmSuiteId ?? DefaultSuite(input.CommitmentPolicy);
        CommitmentPolicies.RequireEncryptAllowed(input.CommitmentPolicy, suite);

        // For a signing suite the materials make the key pair and put its public half in the context.
        var materials = new EncryptionMaterials(suite, input.EncryptionContext);
        if (input.RequiredEncryptionContextKeys is { Count: > 0 } required)
        {
            try
            {
                materials.SetRequiredEncryptionContextKeys(required);
            }
            catch (ArgumentException missing)
            {
                materials.Dispose();
                throw new ValidationException("RequiredEncryptionContextKeys", missing.Message);
            }
        }

        try
        {
            await _keyring.OnEncryptAsync(materials, cancellationToken).ConfigureAwait(false);
            if (!materials.HasPlaintextDataKey || materials.EncryptedDataKeys.Count == 0)
            {
                throw new InvalidOperationException($"The keyring {_keyring} produced no data key or no encrypted data key.");
            }

            return materials;
        }
        catch
        {
            materials.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        AlgorithmSuite suite = input.AlgorithmSuiteId;
        CommitmentPolicies.RequireDecryptAllowed(input.CommitmentPolicy, suite);

        // Pairs the caller expects: those in the header must match; the others are required
        // context, authenticated by the header tag but not stored in the message.
        var context = new Dictionary<string, string>(input.EncryptionContext, StringComparer.Ordinal);
        var required = new List<string>();
        foreach ((string key, string value) in input.ReproducedEncryptionContext ?? new Dictionary<string, string>())
        {
            if (input.EncryptionContext.TryGetValue(key, out string? stored))
            {
                if (!string.Equals(stored, value, StringComparison.Ordinal))
                {
                    throw new BadCiphertextException($"The encryption context value of '{key}' in the message differs from the one expected.");
                }
            }
            else
            {
                context[key] = value;
                required.Add(key);
            }
        }

        var materials = new DecryptionMaterials(suite, context);
        materials.SetRequiredEncryptionContextKeys(required);
        try
        {
            await _keyring.OnDecryptAsync(materials, input.EncryptedDataKeys, cancellationToken).ConfigureAwait(false);
            if (!materials.HasPlaintextDataKey)
            {
                throw new CannotUnwrapDataKeyException(
                    $"None of the message's {input.EncryptedDataKeys.Count} encrypted data keys ({string.Join(", ", input.EncryptedDataKeys.Select(k => k.KeyProviderId).Distinct())}) could be decrypted by {_keyring}.");
            }

            return materials;
        }
        catch
        {
            materials.Dispose();
            throw;
        }
    }
}

/// <summary>The commitment policy's rules, in one place.</summary>
internal static class CommitmentPolicies
{
    public static void RequireEncryptAllowed(CommitmentPolicy policy, AlgorithmSuite suite)
    {
        bool allowed = policy == CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT ? !suite.IsCommitting : suite.IsCommitting;
        if (!allowed)
        {
            throw new CommitmentPolicyException(policy == CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT
                ? $"Commitment policy {policy} forbids encrypting with committing suite {suite}."
                : $"Commitment policy {policy} requires a committing suite (0x0478 or 0x0578) to encrypt; {suite} is not.");
        }
    }

    public static void RequireDecryptAllowed(CommitmentPolicy policy, AlgorithmSuite suite)
    {
        if (policy == CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT && !suite.IsCommitting)
        {
            throw new CommitmentPolicyException($"Commitment policy {policy} only decrypts committing suites; the message uses {suite}.");
        }
    }
}
