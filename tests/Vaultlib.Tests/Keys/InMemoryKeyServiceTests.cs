using Microsoft.Extensions.Time.Testing;
using Vaultlib.Keys;

namespace Vaultlib.Tests.Keys;

public sealed class InMemoryKeyServiceTests : KeyServiceContractTests
{
    private readonly List<Vaultlib.Storage.Vault> _vaults = [];

    protected override KeyService CreateService(FakeTimeProvider clock) => new InMemoryKeyService(timeProvider: clock);

    protected override Vaultlib.Storage.Vault CreateVault(FakeTimeProvider clock)
    {
        var vault = Vaultlib.Storage.Vault.CreateInMemory(clock);
        _vaults.Add(vault);
        return vault;
    }

    public override void Dispose()
    {
        base.Dispose();
        foreach (Vaultlib.Storage.Vault vault in _vaults)
        {
            vault.Dispose();
        }
    }

    [Fact]
    public async Task Region_and_account_come_from_options()
    {
        using var kms = new InMemoryKeyService(new VaultlibOptions { Region = "eu-central-1", AccountId = "123456789012" });
        KeyMetadata key = await kms.CreateKeyAsync();
        Assert.Equal($"arn:aws:kms:eu-central-1:123456789012:key/{key.KeyId}", key.Arn);
        await Assert.ThrowsAsync<NotFoundException>(() => kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = $"arn:aws:kms:us-east-1:123456789012:key/{key.KeyId}" }));
    }

    [Fact]
    public void Invalid_options_are_refused_listing_every_failure()
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new InMemoryKeyService(new VaultlibOptions { Region = "nowhere", AccountId = "12" }));
        Assert.Equal(2, ex.Failures.Count());
        Assert.Contains("Region", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AccountId", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new InMemoryKeyService(new VaultlibOptions { Region = "us-east-1\n", AccountId = "111122223333\n" })).Failures.Count());
    }
}
