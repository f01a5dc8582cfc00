using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets.Caching;

/// <summary>The caching client counts each lookup as a hit or a miss, on the string hot path and the binary path alike.</summary>
[Collection(VaultlibMeterTests.Name)]
public sealed class SecretsManagerCacheMetricsTests : IDisposable
{
    private readonly TelemetryRecorder _recorder = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestData.NewClock();
    private readonly VaultlibHost _host;

    public SecretsManagerCacheMetricsTests() => _host = new VaultlibHost(timeProvider: _clock);

    public void Dispose()
    {
        _host.Dispose();
        _recorder.Dispose();
    }

    private string[] Results() =>
        [.. _recorder.Of("vaultlib.cache.lookups", t => (string?)t["vaultlib.cache"] == "secrets" && (string?)t["vaultlib.cache.operation"] == "get").Select(m => (string)m.Tags["vaultlib.cache.result"]!)];

    [Fact]
    public async Task Each_lookup_is_a_hit_while_fresh_and_a_miss_otherwise()
    {
        await _host.Secrets.CreateSecretAsync(new CreateSecretRequest { Name = "app/db", SecretString = "v1" });
        using var cache = new SecretsManagerCache(_host.Secrets, new SecretCacheConfiguration { RefreshOnChange = false }, _clock);

        Assert.Equal("v1", await cache.GetSecretStringAsync("app/db")); // miss
        Assert.Equal("v1", await cache.GetSecretStringAsync("app/db")); // hit, hot path
        Assert.Null(await cache.GetSecretBinaryAsync("app/db")); // hit
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(await cache.GetSecretBinaryAsync("app/db")); // miss: stale

        Assert.Equal(["miss", "hit", "hit", "miss"], Results());
    }
}
