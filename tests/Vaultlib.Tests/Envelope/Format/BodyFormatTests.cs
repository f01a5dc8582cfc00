using System.Buffers.Binary;
using Vaultlib.Envelope;
using Vaultlib.Envelope.Format;

namespace Vaultlib.Tests.Envelope.Format;

/// <summary>The body's frame reader rule by rule: layouts, every truncation point, and each structural refusal.</summary>
public sealed class BodyFormatTests
{
    private const int FrameLength = 16;

    private static MessageHeader Header(ContentType contentType) => new()
    {
        Version = 2,
        Suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY,
        MessageId = new byte[32],
        EncryptionContext = new Dictionary<string, string>(),
        EncryptedDataKeys = [],
        ContentType = contentType,
        FrameLength = contentType == ContentType.Framed ? FrameLength : 0,
        SuiteData = new byte[32],
        HeaderIv = new byte[12],
        AuthTag = new byte[16],
        BodyLength = 0,
        TotalLength = 0,
    };

    private static byte[] UInt32(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Regular(uint sequence) => [.. UInt32(sequence), .. new byte[12], .. new byte[FrameLength], .. new byte[16]];

    private static byte[] Final(uint sequence, uint length) => [.. UInt32(0xFFFF_FFFF), .. UInt32(sequence), .. new byte[12], .. UInt32(length), .. new byte[length], .. new byte[16]];

    private static byte[] NonFramed(ulong length, int present)
    {
        byte[] bytes = new byte[12 + 8 + present + 16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(12), length);
        return bytes;
    }

    [Fact]
    public void A_regular_frame_lies_where_the_format_puts_it()
    {
        byte[] data = [0x99, 0x99, .. Regular(3), 0x55];
        Assert.True(BodyFormat.TryReadFrame(data, 2, Header(ContentType.Framed), 3, out FrameLayout frame));
        Assert.Equal(new FrameLayout(FrameKind.Regular, 3, 2 + 4, 2 + 16, FrameLength, 2 + 16 + FrameLength, 2 + 16 + FrameLength + 16), frame);
    }

    [Fact]
    public void A_final_frame_lies_where_the_format_puts_it()
    {
        byte[] data = [0x99, .. Final(2, 5)];
        Assert.True(BodyFormat.TryReadFrame(data, 1, Header(ContentType.Framed), 2, out FrameLayout frame));
        Assert.Equal(new FrameLayout(FrameKind.Final, 2, 1 + 8, 1 + 24, 5, 1 + 24 + 5, 1 + 24 + 5 + 16), frame);
    }

    [Fact]
    public void A_non_framed_body_lies_where_the_format_puts_it()
    {
        byte[] data = NonFramed(7, 7);
        Assert.True(BodyFormat.TryReadFrame(data, 0, Header(ContentType.NonFramed), 1, out FrameLayout frame));
        Assert.Equal(new FrameLayout(FrameKind.SingleBlock, 1, 0, 20, 7, 27, 43), frame);
    }

    [Fact]
    public void Every_prefix_of_a_frame_asks_for_more()
    {
        (byte[] Data, ContentType Type, uint Sequence)[] cases =
        [
            (Regular(1), ContentType.Framed, 1),
            (Final(1, 5), ContentType.Framed, 1),
            (Final(1, 0), ContentType.Framed, 1),
            (NonFramed(7, 7), ContentType.NonFramed, 1),
        ];
        foreach ((byte[] data, ContentType type, uint sequence) in cases)
        {
            for (int length = 0; length < data.Length; length++)
            {
                Assert.False(BodyFormat.TryReadFrame(data.AsSpan(0, length), 0, Header(type), sequence, out FrameLayout frame), $"{type} prefix of {length}");
                Assert.Equal(default, frame);
            }

            Assert.True(BodyFormat.TryReadFrame(data, 0, Header(type), sequence, out _));
        }
    }

    [Fact]
    public void Sequence_numbers_must_be_the_expected_ones()
    {
        Assert.Contains("sequence number 2; 1", Assert.Throws<BadCiphertextException>(() => BodyFormat.TryReadFrame(Regular(2), 0, Header(ContentType.Framed), 1, out _)).Message);
        Assert.Contains("final frame has sequence number 3; 2", Assert.Throws<BadCiphertextException>(() => BodyFormat.TryReadFrame(Final(3, 0), 0, Header(ContentType.Framed), 2, out _)).Message);
    }

    [Fact]
    public void A_final_frame_may_be_a_full_frame_but_not_longer()
    {
        Assert.True(BodyFormat.TryReadFrame(Final(1, FrameLength), 0, Header(ContentType.Framed), 1, out FrameLayout frame));
        Assert.Equal(FrameLength, frame.CiphertextLength);
        Assert.Contains("claims 17 bytes", Assert.Throws<BadCiphertextException>(() => BodyFormat.TryReadFrame(Final(1, FrameLength + 1), 0, Header(ContentType.Framed), 1, out _)).Message);
    }

    [Fact]
    public void A_non_framed_length_over_the_limit_is_refused_before_its_bytes_are_wanted()
    {
        foreach (ulong length in new[] { BodyFormat.MaxNonFramedLength + 1, (ulong)int.MaxValue - 63, ulong.MaxValue })
        {
            Assert.Contains("over the limit", Assert.Throws<BadCiphertextException>(() => BodyFormat.TryReadFrame(NonFramed(length, 0), 0, Header(ContentType.NonFramed), 1, out _)).Message);
        }

        Assert.False(BodyFormat.TryReadFrame(NonFramed((ulong)int.MaxValue - 64, 0), 0, Header(ContentType.NonFramed), 1, out _));
    }

    [Fact]
    public void The_footer_is_a_length_and_that_many_bytes()
    {
        byte[] data = [0x99, 0x00, 0x03, 1, 2, 3];
        Assert.True(BodyFormat.TryReadFooter(data, 1, out int offset, out int length));
        Assert.Equal((3, 3), (offset, length));
        for (int cut = 1; cut < data.Length; cut++)
        {
            Assert.False(BodyFormat.TryReadFooter(data.AsSpan(0, cut), 1, out offset, out length));
            Assert.Equal((0, 0), (offset, length));
        }
    }
}
