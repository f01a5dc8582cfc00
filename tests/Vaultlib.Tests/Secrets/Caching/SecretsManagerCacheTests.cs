using Microsoft.Extensions.Configuration;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Secrets;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Secrets.Caching;

/// <summary>
/// The caching client: served from memory for its time to live, refreshed as AWS's library refreshes (DescribeSecret,
/// then GetSecretValue only for a new version), dropped at once when its secret changes, and backing off 1 s doubling
/// to 128 s when a refresh fails, serving the last value meanwhile.
/// </summary>
public sealed class SecretsManagerCacheTests : IDisposable
{
    private const string Reader = "arn:aws:iam::111122223333:user/app";
    private const string ReadPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue","kms:Decrypt"],"Resource":"*"}]}""";
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TestData.NewClock();
    private readonly InMemoryAuditSink _audit = new();
    private readonly VaultlibHost _host;

    public SecretsManagerCacheTests()
    {
        _host = new VaultlibHost(timeProvider: _clock, auditSink: _audit);
        _host.IdentityPolicies.Set(Reader, ReadPolicy);
    }

    public void Dispose() => _host.Dispose();

    private SecretStore Sm => _host.Secrets;

    private int Calls(string operation) => _audit.Query(eventName: operation).Count(e => e.EventSource == "secretsmanager.amazonaws.com" && e.ErrorCode is null);

    [Fact]
    public async Task Items_are_served_for_their_time_to_live_and_a_new_value_is_read_only_when_its_version_changed()
    {
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "app/db", SecretString = "v1" });
        using var cache = new SecretsManagerCache(Sm, new SecretCacheConfiguration { RefreshOnChange = false }, _clock);
        Assert.Equal("v1", await cache.GetSecretStringAsync("app/db"));
        Assert.Equal(1, Calls("GetSecretValue"));

        await Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "app/db", SecretString = "v2" });
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("v1", await cache.GetSecretStringAsync("app/db"));
        Assert.Equal(1, Calls("DescribeSecret"));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("v2", await cache.GetSecretStringAsync("app/db"));
        Assert.Equal(2, Calls("GetSecretValue"));

        // The time to live ends with no new version: DescribeSecret only.
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("v2", await cache.GetSecretStringAsync("app/db"));
        Assert.Equal(3, Calls("DescribeSecret"));
        Assert.Equal(2, Calls("GetSecretValue"));
        Assert.Null(await cache.GetSecretBinaryAsync("app/db"));
    }

    [Fact]
    public async Task A_change_to_the_secret_drops_its_item_at_once_and_RefreshNow_reads_it_again()
    {
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "app/key", SecretBinary = new byte[] { 1, 2, 3 } });
        using var cache = new SecretsManagerCache(Sm, timeProvider: _clock);
        Assert.Equal(new byte[] { 1, 2, 3 }, await cache.GetSecretBinaryAsync("app/key"));
        await Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "app/key", SecretBinary = new byte[] { 4 } });
        Assert.Equal(new byte[] { 4 }, await cache.GetSecretBinaryAsync("app/key"));

        Assert.True(await cache.RefreshNowAsync("app/key"));
        Assert.Equal(3, Calls("DescribeSecret"));
        Assert.False(await cache.RefreshNowAsync("missing"));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cache.GetSecretStringAsync("missing").AsTask());
    }

    [Fact]
    public async Task A_failing_refresh_backs_off_1_s_doubling_to_128_s_and_serves_the_last_value()
    {
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "app/api", SecretString = "v1" });
        using var cache = new SecretsManagerCache(Sm.AsCaller(new CallerIdentity { Principal = Reader }), new SecretCacheConfiguration { RefreshOnChange = false }, _clock);
        Assert.Equal("v1", await cache.GetSecretStringAsync("app/api"));

        _host.IdentityPolicies.Set(Reader); // the reader loses its permissions
        _clock.Advance(TimeSpan.FromHours(1));
        int Attempts() => _audit.Query(eventName: "DescribeSecret").Count(e => e.ErrorCode is not null);
        var seen = new List<int>();
        for (int second = 0; second <= 400; second++)
        {
            Assert.Equal("v1", await cache.GetSecretStringAsync("app/api"));
            seen.Add(Attempts());
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Attempts at 0, 1, 3, 7, 15, 31, 63, 127, 255 (the delay reached 128 s), 383 s.
        int[] attemptsAt = [.. Enumerable.Range(1, seen.Count - 1).Where(i => seen[i] != seen[i - 1])];
        Assert.Equal([1, 3, 7, 15, 31, 63, 127, 255, 383], attemptsAt);

        _host.IdentityPolicies.Set(Reader, ReadPolicy);
        await Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "app/api", SecretString = "v2" });
        _clock.Advance(TimeSpan.FromSeconds(128));
        Assert.Equal("v2", await cache.GetSecretStringAsync("app/api"));
    }

    [Fact]
    public void The_configuration_is_checked_at_its_edges()
    {
        Assert.Throws<ArgumentNullException>(() => new SecretsManagerCache(null!));
        foreach (SecretCacheConfiguration bad in new SecretCacheConfiguration[]
        {
            new() { CacheItemTtl = TimeSpan.Zero },
            new() { MaxCacheSize = 0 },
            new() { ExceptionRetryDelayBase = TimeSpan.FromTicks(-1) },
            new() { ExceptionRetryGrowthFactor = 0.99 },
            new() { ExceptionRetryDelayBase = TimeSpan.FromSeconds(2), ExceptionRetryDelayMax = TimeSpan.FromSeconds(1) },
            new() { VersionStage = string.Empty },
        })
        {
            Assert.Contains("out of range", Assert.Throws<ArgumentException>(() => new SecretsManagerCache(Sm, bad)).Message, StringComparison.Ordinal);
        }

        // The smallest legal values.
        using var smallest = new SecretsManagerCache(Sm, new SecretCacheConfiguration { CacheItemTtl = TimeSpan.FromTicks(1), MaxCacheSize = 1, ExceptionRetryDelayBase = TimeSpan.Zero, ExceptionRetryGrowthFactor = 1, ExceptionRetryDelayMax = TimeSpan.Zero });
    }

    [Fact]
    public async Task Reading_needs_an_id_and_a_secret_that_cannot_be_read_is_its_error_until_the_back_off_ends()
    {
        using var cache = new SecretsManagerCache(Sm, timeProvider: _clock);
        await Assert.ThrowsAsync<ArgumentException>(() => cache.GetSecretStringAsync(string.Empty).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => cache.RefreshNowAsync(string.Empty));

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cache.GetSecretStringAsync("missing").AsTask());
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => cache.GetSecretBinaryAsync("missing").AsTask());
        Assert.Single(_audit.Query(eventName: "DescribeSecret")); // the second read is answered by the back-off
        Assert.False(await cache.RefreshNowAsync("missing"));

        // A stage no version holds is not-found too.
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "staged", SecretString = "v" });
        using var pending = new SecretsManagerCache(Sm, new SecretCacheConfiguration { VersionStage = "AWSPENDING" }, _clock);
        Assert.Contains("AWSPENDING", (await Assert.ThrowsAsync<ResourceNotFoundException>(() => pending.GetSecretStringAsync("staged").AsTask())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Items_asked_for_by_ARN_or_partial_ARN_are_dropped_when_the_secret_changes()
    {
        string arn = (await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "by/arn", SecretString = "v1" })).ARN;
        using var cache = new SecretsManagerCache(Sm, timeProvider: _clock);
        Assert.Equal("v1", await cache.GetSecretStringAsync(arn));
        Assert.Equal("v1", await cache.GetSecretStringAsync(arn[..^7]));
        await Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "by/arn", SecretString = "v2" });
        Assert.Equal("v2", await cache.GetSecretStringAsync(arn));
        Assert.Equal("v2", await cache.GetSecretStringAsync(arn[..^7]));
    }

    [Fact]
    public async Task Concurrent_misses_refresh_once_and_the_second_reader_takes_the_first_one_s_answer()
    {
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "slow", SecretString = "v" });
        var gate = new SemaphoreSlim(0);
        ISecretStore slow = HeldDescribe.Over(Sm, gate);
        using var cache = new SecretsManagerCache(slow, timeProvider: _clock);
        Task<string?> first = Task.Run(() => cache.GetSecretStringAsync("slow").AsTask());
        while (HeldDescribe.Waiting(slow) == 0)
        {
            await Task.Delay(10);
        }

        // The second reader misses too and waits for the first one's refresh (the assertions hold however the two interleave).
        Task<string?> second = Task.Run(() => cache.GetSecretStringAsync("slow").AsTask());
        await Task.Delay(200);
        gate.Release(2);
        Assert.All(await Task.WhenAll(first, second), v => Assert.Equal("v", v));
        Assert.Equal(1, Calls("DescribeSecret"));
        Assert.Equal(1, Calls("GetSecretValue"));
    }

    /// <summary>A store whose DescribeSecret waits for a gate, so that two readers miss at once.</summary>
    public class HeldDescribe : System.Reflection.DispatchProxy
    {
        private ISecretStore _inner = null!;
        private SemaphoreSlim _gate = null!;
        private int _waiting;

        public static ISecretStore Over(ISecretStore inner, SemaphoreSlim gate)
        {
            ISecretStore proxy = Create<ISecretStore, HeldDescribe>();
            var held = (HeldDescribe)(object)proxy;
            (held._inner, held._gate) = (inner, gate);
            return proxy;
        }

        public static int Waiting(ISecretStore proxy) => Volatile.Read(ref ((HeldDescribe)(object)proxy)._waiting);

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(ISecretStore.DescribeSecretAsync)
                ? DescribeAsync((DescribeSecretRequest)args![0]!, (CancellationToken)args[1]!)
                : targetMethod.Invoke(_inner, args);

        private async Task<DescribeSecretResponse> DescribeAsync(DescribeSecretRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waiting);
            await _gate.WaitAsync(cancellationToken);
            return await _inner.DescribeSecretAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task The_size_bound_holds_and_a_disposed_cache_stops_following_the_store()
    {
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "a", SecretString = "A" });
        await Sm.CreateSecretAsync(new CreateSecretRequest { Name = "b", SecretString = "B" });
        var cache = new SecretsManagerCache(Sm, new SecretCacheConfiguration { MaxCacheSize = 1 }, _clock);
        Assert.Equal("A", await cache.GetSecretStringAsync("a"));
        Assert.Equal("B", await cache.GetSecretStringAsync("b"));
        Assert.Equal("B", await cache.GetSecretStringAsync("b"));
        Assert.Equal(3, Calls("GetSecretValue")); // b did not fit: read twice

        cache.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => cache.GetSecretStringAsync("a").AsTask());
        await Sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "a", SecretString = "A2" }); // no handler left to fail
        Assert.Equal("A2", (await Sm.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "a" })).SecretString);
    }
}

/// <summary>
/// <c>AddVaultlibSecrets</c>: JSON secret strings flattened into configuration keys under the secret's name, other
/// strings as values, binary secrets left out, a missing secret an error unless optional, and a reload when a secret
/// changes (a rotation, a put) with no polling.
/// </summary>
public sealed class SecretsConfigurationTests : IDisposable
{
    private readonly VaultlibHost _host = new(timeProvider: TestData.NewClock());

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task JSON_secrets_are_flattened_and_the_configuration_reloads_when_one_changes()
    {
        SecretStore sm = _host.Secrets;
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "prod/db", SecretString = """{"host":"db1","port":5432,"tls":true,"replicas":["r1","r2"],"extra":null}""" });
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "prod/token", SecretString = "plain-token" });
        await sm.CreateSecretAsync(new CreateSecretRequest { Name = "prod/blob", SecretBinary = new byte[] { 1 } });

        Microsoft.Extensions.Configuration.IConfigurationRoot configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddVaultlibSecrets(sm, ["prod/db", "prod/token", "prod/blob"])
            .Build();
        Assert.Equal("db1", configuration["prod:db:host"]);
        Assert.Equal("5432", configuration["prod:db:port"]);
        Assert.Equal("True", configuration["prod:db:tls"]);
        Assert.Equal("r2", configuration["prod:db:replicas:1"]);
        Assert.Null(configuration["prod:db:extra"]);
        Assert.Equal("plain-token", configuration["prod:token"]);
        Assert.Null(configuration["prod:blob"]);
        Assert.DoesNotContain("db1", configuration.Providers.Single().ToString(), StringComparison.Ordinal);

        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable watch = Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, () =>
        {
            if (configuration["prod:db:host"] == "db2")
            {
                reloaded.TrySetResult();
            }
        });
        await sm.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "prod/db", SecretString = """{"host":"db2"}""" });
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("db2", configuration["prod:db:host"]);
        Assert.Null(configuration["prod:db:port"]);
        ((IDisposable)configuration.Providers.Single()).Dispose();
    }

    [Fact]
    public void A_missing_secret_is_an_error_unless_optional()
    {
        var builder = new Microsoft.Extensions.Configuration.ConfigurationBuilder();
        Assert.Throws<ResourceNotFoundException>(() => new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddVaultlibSecrets(_host.Secrets, ["missing"]).Build());
        Assert.Empty(builder.AddVaultlibSecrets(_host.Secrets, ["missing"], optional: true).Build().AsEnumerable());
        Assert.Throws<ArgumentException>(() => builder.AddVaultlibSecrets(_host.Secrets, []));
    }
}
