using Vaultlib.Internal;

namespace Vaultlib.Tests.Internal;

public sealed class BoundedCacheTests
{
    [Fact]
    public void A_value_is_made_once_per_key_until_the_bound_is_passed_then_the_cache_starts_over()
    {
        var cache = new BoundedCache<string>();
        int made = 0;
        string Make(string key)
        {
            made++;
            return key.ToUpperInvariant();
        }

        Assert.Equal("A", cache.Get("a", Make));
        Assert.Equal("A", cache.Get("a", Make));
        Assert.Equal(1, made);

        for (int i = 0; i < 4095; i++)
        {
            cache.Get("k" + i, Make);
        }

        Assert.Equal(4096, made);
        Assert.Equal("A", cache.Get("a", Make)); // 4,096 entries: still there
        Assert.Equal(4096, made);

        cache.Get("one more", Make);                // at the bound: cleared, then added
        Assert.Equal("A", cache.Get("a", Make));   // made again
        Assert.Equal(4098, made);
    }
}
