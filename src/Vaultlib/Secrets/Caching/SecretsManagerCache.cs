using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Vaultlib.Internal;

namespace Vaultlib.Secrets;

/// <summary>
/// A caching client, like AWS's Secrets Manager caching library for .NET: <see cref="GetSecretStringAsync"/> and
/// <see cref="GetSecretBinaryAsync"/> answer from memory until an item's time to live ends (an hour by default), then
/// refresh it as AWS's does: DescribeSecret finds the version with the configured stage (AWSCURRENT by default), and
/// GetSecretValue reads it by version id only when it changed. A refresh that fails is not tried again until a
/// back-off delay passes (1 s doubling to 128 s by default); meanwhile the last value is served, or, with none, the
/// last error is thrown again. Freshness is judged by a clock read every quarter second, so an item may be served up
/// to that much past its time. At most <see cref="SecretCacheConfiguration.MaxCacheSize"/> secrets are kept. Unlike
/// AWS's, given a <see cref="SecretStore"/> it also drops an item as soon as its secret changes anywhere the store
/// reaches (this instance or another sharing its vault), so a rotation is seen at once. Thread-safe.
/// </summary>
public sealed class SecretsManagerCache : IDisposable
{
    private readonly ISecretStore _store;
    private readonly SecretCacheConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly MemoryCache _items;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshing = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;

    // A coarse clock for the hot path: the timestamp, refreshed every quarter second by a timer on the injected
    // clock, so a hit reads a field instead of the clock (a refresh still reads the clock itself).
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>Every item's options: size 1, and an eviction callback that counts evictions by reason.</summary>
    private static readonly MemoryCacheEntryOptions s_entryOptions = new MemoryCacheEntryOptions { Size = 1 }
        .RegisterPostEvictionCallback(static (_, _, reason, _) => CacheMetrics.Evicted(CacheMetrics.Secrets, reason.ToString().ToLowerInvariant()));
    private readonly ITimer _tick;
    private long _now;

    /// <summary>A cache over <paramref name="store"/>.</summary>
    /// <param name="store">The Secrets Manager to read (any <see cref="ISecretStore"/>, a test double too).</param>
    /// <param name="configuration">Time to live, size, stage and back-off; AWS's defaults when null.</param>
    /// <param name="timeProvider">The clock for times to live and back-off.</param>
    public SecretsManagerCache(ISecretStore store, SecretCacheConfiguration? configuration = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _configuration = configuration ?? new SecretCacheConfiguration();
        _configuration.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _items = new MemoryCache(new MemoryCacheOptions { SizeLimit = _configuration.MaxCacheSize });
        _now = _time.GetTimestamp();
        _tick = _time.CreateTimer(static state => ((SecretsManagerCache)state!).Advance(), this, Tick, Tick);
        // A nullable local, not a pattern variable behind &&, so that mutating the && still compiles (docs/testing.md).
        SecretStore? followed = store as SecretStore;
        if (_configuration.RefreshOnChange && followed is not null)
        {
            _subscription = followed.Table.SubscribeToChanges(Forget);
        }
    }

    /// <summary>The secret's string value in the configured stage, from memory while fresh; null when the version holds a binary value.</summary>
    /// <exception cref="SecretsManagerException">The secret cannot be read (and no earlier value is cached).</exception>
    public ValueTask<string?> GetSecretStringAsync(string secretId, CancellationToken cancellationToken = default)
    {
        // The hot path, with no state machine: a fresh item answers at once.
        if (_items.TryGetValue(secretId, out CachedSecret? item) && item!.FreshUntil > Volatile.Read(ref _now) && item.Error is null)
        {
            CacheMetrics.Lookup(CacheMetrics.Secrets, "get", hit: true);
            return new(item.SecretString);
        }

        return Slow(this, secretId, cancellationToken);

        static async ValueTask<string?> Slow(SecretsManagerCache cache, string secretId, CancellationToken cancellationToken) =>
            (await cache.GetAsync(secretId, cancellationToken).ConfigureAwait(false)).SecretString;
    }

    /// <summary>The secret's binary value in the configured stage (a copy), from memory while fresh; null when the version holds a string.</summary>
    /// <exception cref="SecretsManagerException">The secret cannot be read (and no earlier value is cached).</exception>
    public async ValueTask<byte[]?> GetSecretBinaryAsync(string secretId, CancellationToken cancellationToken = default) =>
        (await GetAsync(secretId, cancellationToken).ConfigureAwait(false)).SecretBinary?.ToArray();

    /// <summary>Refreshes the secret now, whatever its time to live; returns whether it succeeded.</summary>
    public async Task<bool> RefreshNowAsync(string secretId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        CachedSecret? previous = _items.Get<CachedSecret>(secretId);
        CachedSecret refreshed = await RefreshAsync(secretId, previous, cancellationToken).ConfigureAwait(false);
        return refreshed.Error is null;
    }

    /// <summary>Empties the cache and stops following the store's changes.</summary>
    // Stryker disable once Statement,Block : disposing the timer and the refresh gates frees them early; a disposed cache serves nothing either way
    public void Dispose()
    {
        _tick.Dispose();
        _subscription?.Dispose();
        _items.Dispose();
        foreach (SemaphoreSlim gate in _refreshing.Values)
        {
            gate.Dispose();
        }
    }

    private ValueTask<CachedSecret> GetAsync(string secretId, CancellationToken cancellationToken)
    {
        if (_items.TryGetValue(secretId, out CachedSecret? item) && item!.FreshUntil > Volatile.Read(ref _now))
        {
            CacheMetrics.Lookup(CacheMetrics.Secrets, "get", hit: true);
            return new(item.Error is null ? item : throw item.Error);
        }

        CacheMetrics.Lookup(CacheMetrics.Secrets, "get", hit: false);
        return GetSlowAsync(secretId, item, cancellationToken);
    }

    private async ValueTask<CachedSecret> GetSlowAsync(string secretId, CachedSecret? stale, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        CachedSecret refreshed = await RefreshAsync(secretId, stale, cancellationToken).ConfigureAwait(false);
        return refreshed.Value is not null ? refreshed : throw refreshed.Error!;
    }

    /// <summary>One refresh at a time per secret: DescribeSecret, then GetSecretValue when the version changed.</summary>
    private async ValueTask<CachedSecret> RefreshAsync(string secretId, CachedSecret? previous, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = _refreshing.GetOrAdd(secretId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long now = Advance();
            // Stryker disable once Equality : an item fresh until exactly now was refreshed this instant; re-reading it gives the same value
            if (_items.TryGetValue(secretId, out CachedSecret? current) && !ReferenceEquals(current, previous) && current!.FreshUntil > now)
            {
                return current; // another caller refreshed it meanwhile
            }

            // Assigned up front, and `known` below a nullable local rather than a pattern variable behind &&, so that every
            // removal and condition mutation here compiles under mutation testing (docs/testing.md).
            CachedSecret? next = null;
            try
            {
                DescribeSecretResponse described = await _store.DescribeSecretAsync(new DescribeSecretRequest { SecretId = secretId }, cancellationToken).ConfigureAwait(false);
                string versionId = described.VersionIdsToStages?.FirstOrDefault(v => v.Value.Contains(_configuration.VersionStage, StringComparer.Ordinal)).Key
                    ?? throw new ResourceNotFoundException($"Secrets Manager can't find the specified secret value for staging label: {_configuration.VersionStage}");
                GetSecretValueResponse? known = current?.Value;
                GetSecretValueResponse value = known is not null && known.VersionId == versionId
                    ? known
                    : await _store.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secretId, VersionId = versionId }, cancellationToken).ConfigureAwait(false);
                next = new CachedSecret(value, null, now + Ticks(_configuration.CacheItemTtl), 0);
            }
            catch (SecretsManagerException error)
            {
                int failures = (current?.Failures ?? 0) + 1;
                double delay = Math.Min(_configuration.ExceptionRetryDelayBase.TotalMilliseconds * Math.Pow(_configuration.ExceptionRetryGrowthFactor, failures - 1), _configuration.ExceptionRetryDelayMax.TotalMilliseconds);
                next = new CachedSecret(current?.Value, current?.Value is null ? error : null, now + Ticks(TimeSpan.FromMilliseconds(delay)), failures);
            }

            _items.Set(secretId, next, s_entryOptions);
            return next;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reads the clock into the coarse clock, and returns it.</summary>
    private long Advance()
    {
        long now = _time.GetTimestamp();
        Volatile.Write(ref _now, now);
        return now;
    }

    /// <summary>A span of time in the clock's timestamp units.</summary>
    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>Drops every item of the secret <paramref name="name"/>, however it was asked for (name or ARN).</summary>
    private void Forget(string name, string arn)
    {
        _items.Remove(name);
        _items.Remove(arn);
        _items.Remove(arn[..^7]);
    }

    /// <summary>A cached answer: the value (kept through failed refreshes), the error to throw when there is none, until when (a clock timestamp) it is fresh, and the failures in a row.</summary>
    private sealed record CachedSecret(GetSecretValueResponse? Value, SecretsManagerException? Error, long FreshUntil, int Failures)
    {
        public string? SecretString => Value?.SecretString;

        public ReadOnlyMemory<byte>? SecretBinary => Value?.SecretBinary;
    }
}

/// <summary>How a <see cref="SecretsManagerCache"/> behaves; the defaults are those of AWS's caching library.</summary>
public sealed record SecretCacheConfiguration
{
    /// <summary>How long an item is served before it is refreshed (default one hour).</summary>
    public TimeSpan CacheItemTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The most secrets kept (default 1,024).</summary>
    public int MaxCacheSize { get; init; } = 1024;

    /// <summary>The staging label read (default AWSCURRENT).</summary>
    public string VersionStage { get; init; } = "AWSCURRENT";

    /// <summary>The delay before a failed refresh is tried again, the first time (default one second).</summary>
    public TimeSpan ExceptionRetryDelayBase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much the delay grows after each failure in a row (default 2).</summary>
    public double ExceptionRetryGrowthFactor { get; init; } = 2;

    /// <summary>The longest delay (default 128 seconds).</summary>
    public TimeSpan ExceptionRetryDelayMax { get; init; } = TimeSpan.FromSeconds(128);

    /// <summary>Drop an item as soon as its secret changes, when the store is a <see cref="SecretStore"/> (default true).</summary>
    public bool RefreshOnChange { get; init; } = true;

    internal void Validate()
    {
        if (CacheItemTtl <= TimeSpan.Zero || MaxCacheSize < 1 || ExceptionRetryDelayBase < TimeSpan.Zero || ExceptionRetryGrowthFactor < 1 || ExceptionRetryDelayMax < ExceptionRetryDelayBase || string.IsNullOrEmpty(VersionStage))
        {
            throw new ArgumentException("The cache configuration is out of range: a positive time to live, a size of at least 1, a growth factor of at least 1, a maximum delay at least the base.");
        }
    }
}
