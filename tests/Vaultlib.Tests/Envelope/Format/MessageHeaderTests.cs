using System.Buffers.Binary;
using Vaultlib.Envelope;
using Vaultlib.Envelope.Format;

namespace Vaultlib.Tests.Envelope.Format;

/// <summary>
/// The header parser rule by rule, on headers built here field by field (docs/formats/esdk-message.md), so each
/// test changes exactly one field of an otherwise valid header.
/// </summary>
public sealed class MessageHeaderTests
{
    /// <summary>The fields of a header; every default makes a valid version 2 header.</summary>
    private sealed record Fields
    {
        public byte Version { get; init; } = 2;

        public byte Type { get; init; } = MessageHeader.TypeCustomerAuthenticated;

        public ushort Suite { get; init; } = 0x0478;

        public byte[]? Context { get; init; }

        public int? EdkCount { get; init; }

        public byte[][] ProviderIds { get; init; } = [[.. "aws-kms"u8], [.. "raw"u8]];

        public byte ContentType { get; init; } = 2;

        public uint Reserved { get; init; }

        public byte IvLength { get; init; } = 12;

        public uint FrameLength { get; init; } = 4096;

        public byte[] Build()
        {
            var b = new List<byte> { Version };
            if (Version == 1)
            {
                b.Add(Type);
            }

            AddUInt16(b, Suite);
            b.AddRange(Enumerable.Range(1, Version == 1 ? 16 : 32).Select(i => (byte)i));
            byte[] context = Context ?? ContextOf(("purpose", "test"), ("a", "b"));
            AddUInt16(b, (ushort)context.Length);
            b.AddRange(context);
            AddUInt16(b, (ushort)(EdkCount ?? ProviderIds.Length));
            for (int i = 0; i < ProviderIds.Length; i++)
            {
                AddField(b, ProviderIds[i]);
                AddField(b, [(byte)(0x10 + i), 0x11]);
                AddField(b, [(byte)(0x20 + i), 0x21, 0x22]);
            }

            b.Add(ContentType);
            if (Version == 1)
            {
                AddUInt32(b, Reserved);
                b.Add(IvLength);
                AddUInt32(b, FrameLength);
                b.AddRange(Enumerable.Repeat((byte)0x77, 12));
            }
            else
            {
                AddUInt32(b, FrameLength);
                b.AddRange(Enumerable.Repeat((byte)0xCC, 32));
            }

            b.AddRange(Enumerable.Repeat((byte)0xAA, 16));
            return [.. b];
        }
    }

    private static Fields V1 => new() { Version = 1, Suite = 0x0178 };

    private static Fields V2 => new();

    private static void AddUInt16(List<byte> b, ushort value)
    {
        b.Add(unchecked((byte)(value >> 8)));
        b.Add(unchecked((byte)value));
    }

    private static void AddUInt32(List<byte> b, uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        b.AddRange(bytes);
    }

    private static void AddField(List<byte> b, byte[] value)
    {
        AddUInt16(b, (ushort)value.Length);
        b.AddRange(value);
    }

    private static byte[] ContextOf(params (string Key, string Value)[] pairs) => ContextBytes(pairs.Select(p => (Utf8(p.Key), Utf8(p.Value))).ToArray());

    private static byte[] ContextBytes((byte[] Key, byte[] Value)[] pairs, ushort? count = null, byte[]? trailing = null)
    {
        var b = new List<byte>();
        AddUInt16(b, count ?? (ushort)pairs.Length);
        foreach ((byte[] key, byte[] value) in pairs)
        {
            AddField(b, key);
            AddField(b, value);
        }

        b.AddRange(trailing ?? []);
        return [.. b];
    }

    private static byte[] Utf8(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    private static MessageHeader Parse(byte[] bytes, int? max = null)
    {
        Assert.True(MessageHeader.TryParse(bytes, max, out MessageHeader? header));
        return header!;
    }

    private static BadCiphertextException Refused(Fields fields) =>
        Assert.Throws<BadCiphertextException>(() => MessageHeader.TryParse(fields.Build(), null, out _));

    [Fact]
    public void A_version_2_header_parses_field_by_field()
    {
        byte[] bytes = V2.Build();
        MessageHeader header = Parse([.. bytes, 0xEE, 0xEE]);

        Assert.Equal(2, header.Version);
        Assert.Same(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, header.Suite);
        Assert.Equal(Enumerable.Range(1, 32).Select(i => (byte)i), header.MessageId);
        Assert.Equal(new Dictionary<string, string> { ["purpose"] = "test", ["a"] = "b" }, header.EncryptionContext);
        Assert.Equal(["aws-kms", "raw"], header.EncryptedDataKeys.Select(k => k.KeyProviderId));
        Assert.Equal(new byte[] { 0x11, 0x11 }, header.EncryptedDataKeys[1].KeyProviderInfo.ToArray());
        Assert.Equal(new byte[] { 0x21, 0x21, 0x22 }, header.EncryptedDataKeys[1].Ciphertext.ToArray());
        Assert.Equal(ContentType.Framed, header.ContentType);
        Assert.Equal(4096, header.FrameLength);
        Assert.Equal(Enumerable.Repeat((byte)0xCC, 32), header.SuiteData);
        Assert.Equal(new byte[12], header.HeaderIv);
        Assert.Equal(Enumerable.Repeat((byte)0xAA, 16), header.AuthTag);
        Assert.Equal(bytes.Length, header.TotalLength);
        Assert.Equal(bytes.Length - 16, header.BodyLength);
    }

    [Fact]
    public void A_version_1_header_parses_field_by_field()
    {
        byte[] bytes = V1.Build();
        MessageHeader header = Parse(bytes);

        Assert.Equal(1, header.Version);
        Assert.Same(AlgorithmSuite.AES_256_GCM_IV12_TAG16_HKDF_SHA256, header.Suite);
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (byte)i), header.MessageId);
        Assert.Empty(header.SuiteData);
        Assert.Equal(Enumerable.Repeat((byte)0x77, 12), header.HeaderIv);
        Assert.Equal(Enumerable.Repeat((byte)0xAA, 16), header.AuthTag);
        Assert.Equal(bytes.Length, header.TotalLength);
        Assert.Equal(bytes.Length - 28, header.BodyLength);
    }

    [Fact]
    public void An_empty_context_is_length_zero_and_parses_empty()
    {
        MessageHeader header = Parse((V2 with { Context = [] }).Build());
        Assert.Empty(header.EncryptionContext);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_prefix_of_a_header_asks_for_more_and_never_throws(int version)
    {
        byte[] bytes = (version == 1 ? V1 : V2).Build();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(MessageHeader.TryParse(bytes.AsSpan(0, length), null, out MessageHeader? header), $"prefix of {length} bytes");
            Assert.Null(header);
        }

        Assert.True(MessageHeader.TryParse(bytes, null, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(0x80)]
    public void Unsupported_versions_are_refused(byte version) =>
        Assert.StartsWith($"The message format version 0x{version:X2} is not supported", Refused(V2 with { Version = version }).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x7F)]
    [InlineData(0x81)]
    public void A_version_1_message_type_other_than_0x80_is_refused(byte type) =>
        Assert.Contains("message type", Refused(V1 with { Type = type }).Message);

    [Fact]
    public void An_unknown_suite_is_refused() =>
        Assert.Contains("unknown", Refused(V2 with { Suite = 0x0479 }).Message);

    [Fact]
    public void A_suite_in_the_other_format_version_is_refused()
    {
        Assert.Contains("format version 2, not 1", Refused(V1 with { Suite = 0x0478 }).Message);
        Assert.Contains("format version 1, not 2", Refused(V2 with { Suite = 0x0178 }).Message);
    }

    [Fact]
    public void A_header_without_encrypted_data_keys_is_refused() =>
        Assert.Contains("no encrypted data keys", Refused(V2 with { ProviderIds = [] }).Message);

    [Fact]
    public void A_key_count_at_the_maximum_parses_and_one_over_is_refused()
    {
        byte[] bytes = V2.Build();
        Assert.Equal(2, Parse(bytes, max: 2).EncryptedDataKeys.Count);
        var e = Assert.Throws<MaxEncryptedDataKeysExceededException>(() => MessageHeader.TryParse(bytes, 1, out _));
        Assert.Equal("MaxEncryptedDataKeysExceededException", e.ErrorCode);
    }

    [Fact]
    public void The_key_count_is_refused_before_the_keys_are_read()
    {
        // A count over the maximum is refused even when the keys it announces are not there.
        byte[] bytes = (V2 with { EdkCount = 60_000 }).Build();
        Assert.Throws<MaxEncryptedDataKeysExceededException>(() => MessageHeader.TryParse(bytes, 10, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(0xFF)]
    public void An_unknown_content_type_is_refused(byte contentType) =>
        Assert.Contains("content type", Refused(V2 with { ContentType = contentType }).Message);

    [Theory]
    [InlineData(1u)]
    [InlineData(0x8000_0000u)]
    public void A_non_zero_reserved_field_is_refused(uint reserved) =>
        Assert.Contains("reserved", Refused(V1 with { Reserved = reserved }).Message);

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(13)]
    public void A_header_iv_length_other_than_12_is_refused(byte ivLength) =>
        Assert.Contains("IV length", Refused(V1 with { IvLength = ivLength }).Message);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Frame_lengths_follow_the_content_type(int version)
    {
        Fields fields = version == 1 ? V1 : V2;
        Assert.Equal(0, Parse((fields with { ContentType = 1, FrameLength = 0 }).Build()).FrameLength);
        Assert.Equal(ContentType.NonFramed, Parse((fields with { ContentType = 1, FrameLength = 0 }).Build()).ContentType);
        Assert.Contains("frame length 0", Refused(fields with { ContentType = 1, FrameLength = 1 }).Message);
        Assert.Contains("frame length 0", Refused(fields with { ContentType = 1, FrameLength = 4096 }).Message);

        Assert.Equal(1, Parse((fields with { FrameLength = 1 }).Build()).FrameLength);
        Assert.Equal(int.MaxValue, Parse((fields with { FrameLength = int.MaxValue }).Build()).FrameLength);
        Assert.Contains("outside", Refused(fields with { FrameLength = 0 }).Message);
        Assert.Contains("outside", Refused(fields with { FrameLength = (uint)int.MaxValue + 1 }).Message);
        Assert.Contains("outside", Refused(fields with { FrameLength = uint.MaxValue }).Message);
    }

    [Fact]
    public void A_duplicate_context_key_is_refused() =>
        Assert.Contains("duplicate", Refused(V2 with { Context = ContextOf(("k", "1"), ("k", "2")) }).Message);

    [Fact]
    public void Bytes_after_the_last_context_pair_are_refused() =>
        Assert.Contains("past its last pair", Refused(V2 with { Context = ContextBytes([(Utf8("k"), Utf8("v"))], trailing: [0]) }).Message);

    [Fact]
    public void A_context_shorter_than_its_count_or_its_pairs_is_refused()
    {
        Assert.Contains("truncated", Refused(V2 with { Context = [1] }).Message);
        Assert.Contains("run past", Refused(V2 with { Context = ContextBytes([(Utf8("k"), Utf8("v"))], count: 2) }).Message);
        byte[] cut = ContextOf(("key", "value"));
        Assert.Contains("run past", Refused(V2 with { Context = cut[..^1] }).Message);
    }

    [Fact]
    public void Invalid_UTF_8_is_refused_and_named_where_it_is()
    {
        byte[] bad = [0x61, 0xC3, 0x28];
        Assert.Equal("An encrypted data key's provider id is not valid UTF-8.", Refused(V2 with { ProviderIds = [bad] }).Message);
        Assert.Equal("An encryption context key is not valid UTF-8.", Refused(V2 with { Context = ContextBytes([(bad, Utf8("v"))]) }).Message);
        Assert.Equal("An encryption context value is not valid UTF-8.", Refused(V2 with { Context = ContextBytes([(Utf8("k"), bad)]) }).Message);
        Assert.Contains("UTF-8", Refused(V2 with { ProviderIds = [[0xED, 0xA0, 0x80]] }).Message);
    }

    [Fact]
    public void Nothing_is_allocated_from_an_untrusted_count()
    {
        // A header announcing 65,535 keys and a context announcing 65,535 pairs, with neither present.
        byte[] keys = (V2 with { EdkCount = ushort.MaxValue }).Build();
        byte[] context = (V2 with { Context = ContextBytes([(Utf8("k"), Utf8("v"))], count: ushort.MaxValue) }).Build();
        MessageHeader.TryParse(keys, null, out _);
        Assert.Throws<BadCiphertextException>(() => MessageHeader.TryParse(context, null, out _));

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(MessageHeader.TryParse(keys, null, out _));
        long keysAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<BadCiphertextException>(() => MessageHeader.TryParse(context, null, out _));
        long contextAllocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A list or dictionary sized from the count would take 0.5-2 MB.
        Assert.InRange(keysAllocated, 0, 8 * 1024);
        Assert.InRange(contextAllocated, 0, 32 * 1024);
    }

    [Fact]
    public void The_writer_checks_it_filled_exactly_the_size_it_was_given()
    {
        AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
        EncryptedDataKey[] edks = [new() { KeyProviderId = "raw", KeyProviderInfo = new byte[] { 1 }, Ciphertext = new byte[] { 2, 3 } }];
        byte[] context = ContextOf(("k", "v"));
        int size = MessageHeader.BodySize(suite, context.Length, edks, [3]);
        byte[] body = new byte[size];
        MessageHeader.WriteBody(body, suite, new byte[32], context, edks, 4096, new byte[32]);
        Assert.True(MessageHeader.TryParse([.. body, .. new byte[16]], null, out MessageHeader? header));
        Assert.Equal(size, header!.BodyLength);

        Assert.Throws<InvalidOperationException>(() => MessageHeader.WriteBody(new byte[size + 1], suite, new byte[32], context, edks, 4096, new byte[32]));
    }
}
