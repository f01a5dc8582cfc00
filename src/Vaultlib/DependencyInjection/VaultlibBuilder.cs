using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Storage;

namespace Vaultlib.DependencyInjection;

internal sealed class VaultlibBuilder(IServiceCollection services) : IVaultlibBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>Where the services keep their state: no factory means an in-memory vault.</summary>
internal sealed class VaultlibStorageOptions
{
    public Func<IServiceProvider, Vault>? Vault { get; set; }
}
