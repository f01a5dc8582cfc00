using Vaultlib.Internal;

namespace Vaultlib.Tests.Internal;

public sealed class NoncesTests
{
    [Fact]
    public void Nonces_across_many_block_refills_are_distinct_and_never_all_zero()
    {
        // 5,000 × 12 bytes crosses the 4 KiB block about 15 times.
        var seen = new HashSet<string>();
        byte[] nonce = new byte[12];
        for (int i = 0; i < 5000; i++)
        {
            Nonces.Fill(nonce);
            Assert.Contains(nonce, b => b != 0);
            Assert.True(seen.Add(Convert.ToHexString(nonce)), $"nonce {i} repeated");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(1024)]
    [InlineData(1025)]
    [InlineData(4097)]
    public void Any_length_is_filled_to_the_end(int length)
    {
        byte[] a = new byte[length];
        byte[] b = new byte[length];
        Nonces.Fill(a);
        Nonces.Fill(b);
        Assert.False(a.AsSpan().SequenceEqual(b), "two fills returned the same bytes");
        if (length >= 16)
        {
            Assert.Contains(a.AsSpan(length - 8).ToArray(), x => x != 0);
        }
    }

    [Fact]
    public void Threads_never_receive_the_same_bytes()
    {
        var all = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 4, _ =>
        {
            byte[] nonce = new byte[12];
            for (int i = 0; i < 2000; i++)
            {
                Nonces.Fill(nonce);
                all.Add(Convert.ToHexString(nonce));
            }
        });
        Assert.Equal(all.Count, all.Distinct().Count());
    }
}
