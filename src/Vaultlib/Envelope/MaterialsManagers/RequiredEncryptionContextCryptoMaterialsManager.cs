namespace Vaultlib.Envelope;

/// <summary>
/// The Required Encryption Context CMM of the AWS Material Providers Library: the configured encryption context keys
/// must be in every encryption request's context, are kept out of the message's header (its tag still authenticates
/// them), and must be supplied again, with the same values, in every decryption's reproduced context. It wraps
/// another materials manager (a <see cref="DefaultCryptoMaterialsManager"/> over a keyring, or any other).
/// </summary>
public sealed class RequiredEncryptionContextCryptoMaterialsManager : ICryptoMaterialsManager
{
    private readonly ICryptoMaterialsManager _underlying;
    private readonly string[] _requiredKeys;

    /// <summary>Requires <paramref name="requiredEncryptionContextKeys"/> around <paramref name="underlying"/>.</summary>
    /// <param name="requiredEncryptionContextKeys">The keys to require (at least one; none may be <c>aws-crypto-public-key</c>).</param>
    /// <param name="underlying">The materials manager asked for the materials.</param>
    /// <exception cref="ValidationException">No key is given, or a key is empty or reserved.</exception>
    public RequiredEncryptionContextCryptoMaterialsManager(IEnumerable<string> requiredEncryptionContextKeys, ICryptoMaterialsManager underlying)
    {
        ArgumentNullException.ThrowIfNull(requiredEncryptionContextKeys);
        ArgumentNullException.ThrowIfNull(underlying);
        _requiredKeys = [.. requiredEncryptionContextKeys.Distinct(StringComparer.Ordinal)];
        if (_requiredKeys.Length == 0 || _requiredKeys.Any(k => string.IsNullOrEmpty(k) || k.StartsWith("aws-crypto-", StringComparison.Ordinal)))
        {
            throw new ValidationException("RequiredEncryptionContextKeys", "Give at least one required encryption context key; none may be empty or start with 'aws-crypto-'.");
        }

        _underlying = underlying;
    }

    /// <summary>Requires <paramref name="requiredEncryptionContextKeys"/> around a <see cref="DefaultCryptoMaterialsManager"/> over <paramref name="keyring"/>.</summary>
    /// <param name="requiredEncryptionContextKeys">The keys to require.</param>
    /// <param name="keyring">The keyring.</param>
    public RequiredEncryptionContextCryptoMaterialsManager(IEnumerable<string> requiredEncryptionContextKeys, IKeyring keyring)
        : this(requiredEncryptionContextKeys, new DefaultCryptoMaterialsManager(keyring))
    {
    }

    /// <summary>The required keys.</summary>
    public IReadOnlyList<string> RequiredEncryptionContextKeys => _requiredKeys;

    /// <inheritdoc/>
    /// <exception cref="ValidationException">The request's context lacks a required key, or the underlying manager dropped one.</exception>
    public async ValueTask<EncryptionMaterials> GetEncryptionMaterialsAsync(GetEncryptionMaterialsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireKeys(input.EncryptionContext, "EncryptionContext", "encryption context");
        string[] required = [.. (input.RequiredEncryptionContextKeys ?? []).Union(_requiredKeys, StringComparer.Ordinal)];
        EncryptionMaterials materials = await _underlying.GetEncryptionMaterialsAsync(input with { RequiredEncryptionContextKeys = required }, cancellationToken).ConfigureAwait(false);
        if (_requiredKeys.Any(k => !materials.RequiredEncryptionContextKeys.Contains(k)))
        {
            materials.Dispose();
            throw new ValidationException("RequiredEncryptionContextKeys", "The underlying materials manager returned materials without every required encryption context key.");
        }

        return materials;
    }

    /// <inheritdoc/>
    /// <exception cref="ValidationException">The reproduced context lacks a required key, or the underlying manager's materials do.</exception>
    public async ValueTask<DecryptionMaterials> DecryptMaterialsAsync(DecryptMaterialsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireKeys(input.ReproducedEncryptionContext, "EncryptionContext", "reproduced encryption context");
        DecryptionMaterials materials = await _underlying.DecryptMaterialsAsync(input, cancellationToken).ConfigureAwait(false);
        if (_requiredKeys.Any(k => !materials.EncryptionContext.ContainsKey(k)))
        {
            materials.Dispose();
            throw new ValidationException("RequiredEncryptionContextKeys", "The underlying materials manager returned materials without every required encryption context key.");
        }

        return materials;
    }

    private void RequireKeys(IReadOnlyDictionary<string, string>? context, string member, string what)
    {
        string[] missing = [.. _requiredKeys.Where(k => context is null || !context.ContainsKey(k))];
        if (missing.Length > 0)
        {
            throw new ValidationException(member, $"The {what} lacks the required key{(missing.Length == 1 ? string.Empty : "s")} {string.Join(", ", missing.Select(k => $"'{k}'"))}.");
        }
    }

    /// <summary>The keys and the underlying manager, never a secret.</summary>
    public override string ToString() => $"RequiredEncryptionContextCryptoMaterialsManager([{string.Join(", ", _requiredKeys)}], {_underlying})";
}
