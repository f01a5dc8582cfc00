

using FsCheck.Xunit;
using Vaultlib.Internal;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Internal;

public sealed class EncryptionContextSerializerTests
{
    [Fact]
    public void An_empty_context_encodes_to_nothing()
    {
        Assert.Empty(EncryptionContextSerializer.Serialize(null));
        Assert.Empty(EncryptionContextSerializer.Serialize(new Dictionary<string, string>()));
    }

    [Fact]
    public void Pairs_are_sorted_by_UTF8_key_bytes_with_big_endian_lengths()
    {
        // AWS Encryption SDK message-header format: count, then (len, key, len, value) sorted by key bytes.
        byte[] encoded = EncryptionContextSerializer.Serialize(TestData.Context(("b", "2"), ("a", "1"), ("é", "")));
        byte[] expected = [0, 3, 0, 1, (byte)'a', 0, 1, (byte)'1', 0, 1, (byte)'b', 0, 1, (byte)'2', 0, 2, 0xC3, 0xA9, 0, 0];
        Assert.Equal(expected, encoded);
    }

    [Fact]
    public void Strings_that_are_not_valid_UTF16_are_refused_rather_than_replaced()
    {
        var ex = Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => EncryptionContextSerializer.Serialize(TestData.Context(("k", "\uD800"))));
        Assert.Equal("EncryptionContext", ex.MemberName);
        Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => EncryptionContextSerializer.Serialize(TestData.Context(("", "v"))));
        Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => EncryptionContextSerializer.Serialize(TestData.Context(("k", new string('x', 70000)))));
    }

    [Property(Arbitrary = [typeof(KmsArbitraries)])]
    public bool The_encoding_does_not_depend_on_insertion_order(KmsContext context)
    {
        var reversed = context.Pairs.Reverse().ToDictionary(p => p.Key, p => p.Value);
        return EncryptionContextSerializer.Serialize(context.Pairs).AsSpan().SequenceEqual(EncryptionContextSerializer.Serialize(reversed));
    }

    [Fact]
    public void Keys_sort_by_their_UTF8_bytes_not_by_UTF16_code_units()
    {
        // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16 (FFFD > D83D);
        // U+E000 (EE 80 80) sorts before U+10000 (F0 90 80 80); a key sorts before the longer keys it begins.
        string[] expected = ["a", "ab", "\uD7FF", "\uE000", "\uFFFD", "\uD800\uDC00", "\uD83D\uDE00", "\uDBFF\uDFFF"];
        foreach (string[] order in new[] { expected, [.. expected.Reverse()], [expected[5], expected[3], expected[1], expected[0], expected[7], expected[2], expected[6], expected[4]] })
        {
            var context = order.ToDictionary(k => k, k => "v");
            byte[] encoded = EncryptionContextSerializer.Serialize(context);
            Assert.Equal(Encoded(expected), encoded);

            int length = EncryptionContextSerializer.GetSerializedLength(context);
            Assert.Equal(encoded.Length, length);
            byte[] direct = new byte[length];
            EncryptionContextSerializer.SerializeTo(context, direct);
            Assert.Equal(encoded, direct);
        }

        static byte[] Encoded(string[] keys)
        {
            var bytes = new List<byte> { 0, (byte)keys.Length };
            foreach (string key in keys)
            {
                byte[] k = System.Text.Encoding.UTF8.GetBytes(key);
                bytes.AddRange([(byte)(k.Length >> 8), (byte)k.Length, .. k, 0, 1, (byte)'v']);
            }

            return [.. bytes];
        }
    }

    [Fact]
    public void The_encoding_may_be_exactly_65535_bytes_and_not_one_more()
    {
        // 2 (count) + 2 + 1 (key) + 2 + value
        var largest = TestData.Context(("k", new string('v', 65_528)));
        Assert.Equal(65_535, EncryptionContextSerializer.Serialize(largest).Length);
        Assert.Equal(65_535, EncryptionContextSerializer.GetSerializedLength(largest));

        var over = TestData.Context(("k", new string('v', 65_529)));
        var ex = Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => EncryptionContextSerializer.Serialize(over, "Context"));
        Assert.Equal("Context", ex.MemberName);
        Assert.Equal("The Context encodes to 65536 bytes; at most 65535 are allowed.", ex.Message);
        Assert.Equal(-1, EncryptionContextSerializer.GetSerializedLength(over));
    }

    [Fact]
    public void An_empty_context_has_length_zero_and_writes_nothing()
    {
        Assert.Equal(0, EncryptionContextSerializer.GetSerializedLength(null));
        Assert.Equal(0, EncryptionContextSerializer.GetSerializedLength(new Dictionary<string, string>()));
        EncryptionContextSerializer.SerializeTo(new Dictionary<string, string>(), Span<byte>.Empty);
        Assert.Equal(7, EncryptionContextSerializer.GetSerializedLength(TestData.Context(("", "v"))));
        Assert.Equal(-1, EncryptionContextSerializer.GetSerializedLength(TestData.Context(("k", "\uDC00"))));
        Assert.Equal(-1, EncryptionContextSerializer.GetSerializedLength(TestData.Context(("\uD800x", "v"))));
    }

    [Fact]
    public void Each_refusal_names_its_reason()
    {
        static string Refusal(IReadOnlyDictionary<string, string> context) =>
            Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => EncryptionContextSerializer.Serialize(context)).Message;

        Assert.Equal("The EncryptionContext contains an empty key.", Refusal(TestData.Context(("", "v"))));
        Assert.Equal("The EncryptionContext contains a null key or value.", Refusal(new Dictionary<string, string> { ["k"] = null! }));
        Assert.Equal("The EncryptionContext contains a string that is not valid UTF-16 (a lone surrogate).", Refusal(TestData.Context(("\uDC00", "v"))));
        Assert.Equal("An EncryptionContext key or value is longer than 65535 UTF-8 bytes.", Refusal(TestData.Context(("k", new string('x', 65_536)))));
        Assert.Equal("An EncryptionContext key or value is longer than 65535 UTF-8 bytes.", Refusal(TestData.Context((new string('x', 65_536), "v"))));
        Assert.Equal("The EncryptionContext encodes to 65536 bytes; at most 65535 are allowed.", Refusal(TestData.Context(("k", new string('x', 32_000)), ("l", new string('y', 33_524)))));

        // At exactly 65,535 pairs, or a key or value of exactly 65,535 bytes, the per-item limits hold and the total refuses.
        var most = Enumerable.Range(0, 65_535).ToDictionary(i => i.ToString("x5", System.Globalization.CultureInfo.InvariantCulture), _ => "");
        Assert.StartsWith("The EncryptionContext encodes to ", Refusal(most), StringComparison.Ordinal);
        Assert.StartsWith("The EncryptionContext encodes to ", Refusal(TestData.Context(("k", new string('x', 65_535)))), StringComparison.Ordinal);
        Assert.StartsWith("The EncryptionContext encodes to ", Refusal(TestData.Context((new string('x', 65_535), "v"))), StringComparison.Ordinal);

        var many = Enumerable.Range(0, 65_536).ToDictionary(i => i.ToString("x5", System.Globalization.CultureInfo.InvariantCulture), _ => "");
        Assert.Equal("The EncryptionContext has 65536 pairs; at most 65535 are allowed.", Refusal(many));
    }
}
