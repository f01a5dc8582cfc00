using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;

namespace Vaultlib.Tests.TestSupport;

public static class TestData
{
    /// <summary>A fixed start for fake clocks, so dates in assertions are readable.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider NewClock() => new(Epoch);

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    public static Dictionary<string, string> Context(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);
}
