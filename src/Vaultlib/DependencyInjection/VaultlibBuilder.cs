using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Storage;

namespace Vaultlib.DependencyInjection;

internal sealed class VaultlibBuilder(IServiceCollection services) : IVaultlibBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>Where the services keep their state: null directory means in memory.</summary>
internal sealed class VaultlibStorageOptions
{
    public string? Directory { get; set; }

    public Func<IServiceProvider, VaultRootKey>? RootKey { get; set; }
}
