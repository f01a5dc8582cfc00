

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
}
