using System.Diagnostics.Metrics;

namespace Vaultlib.Internal;

/// <summary>
/// The caches' instruments on the <c>Vaultlib</c> meter: <c>vaultlib.cache.lookups</c> (attribute
/// <c>vaultlib.cache.result</c> <c>hit</c> or <c>miss</c>, and <c>vaultlib.cache.operation</c>) and
/// <c>vaultlib.cache.evictions</c> (attribute <c>vaultlib.cache.eviction.reason</c>); both with <c>vaultlib.cache</c>,
/// the cache's name: <c>crypto-materials</c> (the materials cache) or <c>secrets</c> (the secrets caching client).
/// </summary>
internal static class CacheMetrics
{
    public const string CryptoMaterials = "crypto-materials";
    public const string Secrets = "secrets";

    private static readonly Counter<long> s_lookups = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.cache.lookups", "{lookup}", "Lookups in a Vaultlib cache, by cache, result (hit, miss) and operation.");

    private static readonly Counter<long> s_evictions = VaultlibMeter.Meter.CreateCounter<long>(
        "vaultlib.cache.evictions", "{entry}", "Entries evicted from a Vaultlib cache, by cache and reason.");

    public static void Lookup(string cache, string operation, bool hit)
    {
        if (s_lookups.Enabled)
        {
            s_lookups.Add(1, new("vaultlib.cache", cache), new("vaultlib.cache.operation", operation), new("vaultlib.cache.result", hit ? "hit" : "miss"));
        }
    }

    public static void Evicted(string cache, string reason)
    {
        if (s_evictions.Enabled)
        {
            s_evictions.Add(1, new("vaultlib.cache", cache), new("vaultlib.cache.eviction.reason", reason));
        }
    }
}
