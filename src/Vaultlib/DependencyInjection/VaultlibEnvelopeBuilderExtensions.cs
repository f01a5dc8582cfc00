using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vaultlib.Envelope;
using Vaultlib.Keys;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the envelope encryptor, a materials cache, a KMS keyring and a caching materials manager.</summary>
public static class VaultlibEnvelopeBuilderExtensions
{
    /// <summary>Registers <see cref="EnvelopeEncryptor"/> as a singleton with the given settings.</summary>
    public static IVaultlibBuilder AddEnvelopeEncryption(this IVaultlibBuilder builder, Action<EnvelopeEncryptorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        OptionsBuilder<EnvelopeEncryptorOptions> options = builder.Services.AddOptions<EnvelopeEncryptorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddSingleton(sp => new EnvelopeEncryptor(sp.GetRequiredService<IOptions<EnvelopeEncryptorOptions>>().Value));
        return builder;
    }

    /// <summary>Registers one <see cref="LocalCryptoMaterialsCache"/> of <paramref name="capacity"/> entries, on the container's clock.</summary>
    public static IVaultlibBuilder UseMaterialsCache(this IVaultlibBuilder builder, int capacity = 1000)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        builder.Services.TryAddSingleton(sp => new LocalCryptoMaterialsCache(capacity, sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="IKeyring"/> that wraps data keys with the registered <see cref="IKeyService"/>'s
    /// keys (any KeyId form, e.g. an alias; resolved when first used).
    /// </summary>
    public static IVaultlibBuilder AddKmsKeyring(this IVaultlibBuilder builder, string generatorKeyId, params string[] additionalKeyIds)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(generatorKeyId);
        builder.Services.TryAddSingleton<IKeyring>(sp => new KmsKeyring(sp.GetRequiredService<IKeyService>(), generatorKeyId, additionalKeyIds));
        return builder;
    }

    /// <summary>
    /// Registers an <see cref="ICryptoMaterialsManager"/> that caches, within <paramref name="options"/>'
    /// limits, the materials of the registered <see cref="IKeyring"/> in the registered cache
    /// (registered here with the default capacity when absent).
    /// </summary>
    public static IVaultlibBuilder AddCachingMaterialsManager(this IVaultlibBuilder builder, CachingCryptoMaterialsManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.UseMaterialsCache();
        builder.Services.TryAddSingleton<ICryptoMaterialsManager>(sp =>
            new CachingCryptoMaterialsManager(sp.GetRequiredService<IKeyring>(), sp.GetRequiredService<LocalCryptoMaterialsCache>(), options));
        return builder;
    }
}
