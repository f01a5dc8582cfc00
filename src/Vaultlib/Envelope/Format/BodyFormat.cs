using System.Buffers.Binary;

namespace Vaultlib.Envelope.Format;

/// <summary>What a body element is.</summary>
internal enum FrameKind
{
    Regular,
    Final,
    SingleBlock,
}

/// <summary>Where one frame's parts lie, as offsets into the buffer it was read from.</summary>
internal readonly record struct FrameLayout(FrameKind Kind, uint Sequence, int IvOffset, int CiphertextOffset, int CiphertextLength, int TagOffset, int End);

/// <summary>
/// Reads the body of a message one frame at a time, checking its structure: sequence numbers from 1
/// with no gap, a final frame no longer than the frame length, a non-framed length within the
/// format's bound. Lengths are checked against the bytes present before anything is sliced.
/// </summary>
internal static class BodyFormat
{
    /// <summary>The format's bound on non-framed content: 2^36 - 32 bytes.</summary>
    public const ulong MaxNonFramedLength = (1UL << 36) - 32;

    public const int RegularFrameOverhead = 4 + MessageCrypto.IvLength + MessageCrypto.TagLength;

    public const int FinalFrameOverhead = 4 + 4 + MessageCrypto.IvLength + 4 + MessageCrypto.TagLength;

    /// <summary>
    /// Reads the frame at <paramref name="offset"/>. False when the data ends first (read more, or
    /// report truncation); <see cref="BadCiphertextException"/> when the structure is wrong.
    /// </summary>
    public static bool TryReadFrame(ReadOnlySpan<byte> data, int offset, MessageHeader header, uint expectedSequence, out FrameLayout frame)
    {
        // As in MessageHeader.TryParse: each read is checked on its own before its value is used.
        frame = default;
        var r = new Reader(data[offset..]);
        if (header.ContentType == ContentType.NonFramed)
        {
            r.Bytes(MessageCrypto.IvLength);
            ulong length = r.UInt64();
            if (r.Truncated)
            {
                return false;
            }

            // The format allows 2^36 - 32 bytes; one array holds less, so the smaller bound is the one that applies.
            if (length > Math.Min(MaxNonFramedLength, int.MaxValue - 64))
            {
                throw new BadCiphertextException($"The non-framed content length {length} is over the limit.");
            }

            int ciphertextOffset = offset + r.Position;
            r.Bytes((int)length);
            r.Bytes(MessageCrypto.TagLength);
            if (r.Truncated)
            {
                return false;
            }

            frame = new FrameLayout(FrameKind.SingleBlock, 1, offset, ciphertextOffset, (int)length, ciphertextOffset + (int)length, offset + r.Position);
            return true;
        }

        uint marker = r.UInt32();
        if (r.Truncated)
        {
            return false;
        }

        if (marker == MessageCrypto.FinalFrameMarker)
        {
            uint sequence = r.UInt32();
            if (r.Truncated)
            {
                return false;
            }

            if (sequence != expectedSequence)
            {
                throw new BadCiphertextException($"The final frame has sequence number {sequence}; {expectedSequence} was expected.");
            }

            int ivOffset = offset + r.Position;
            r.Bytes(MessageCrypto.IvLength);
            uint length = r.UInt32();
            if (r.Truncated)
            {
                return false;
            }

            if (length > (uint)header.FrameLength)
            {
                throw new BadCiphertextException($"The final frame claims {length} bytes, more than the frame length {header.FrameLength}.");
            }

            int ciphertextOffset = offset + r.Position;
            r.Bytes((int)length);
            r.Bytes(MessageCrypto.TagLength);
            if (r.Truncated)
            {
                return false;
            }

            frame = new FrameLayout(FrameKind.Final, sequence, ivOffset, ciphertextOffset, (int)length, ciphertextOffset + (int)length, offset + r.Position);
            return true;
        }

        if (marker != expectedSequence)
        {
            throw new BadCiphertextException($"A frame has sequence number {marker}; {expectedSequence} was expected.");
        }

        int regularIv = offset + r.Position;
        r.Bytes(MessageCrypto.IvLength);
        int regularCiphertext = offset + r.Position;
        r.Bytes(header.FrameLength);
        r.Bytes(MessageCrypto.TagLength);
        if (r.Truncated)
        {
            return false;
        }

        frame = new FrameLayout(FrameKind.Regular, marker, regularIv, regularCiphertext, header.FrameLength, regularCiphertext + header.FrameLength, offset + r.Position);
        return true;
    }

    /// <summary>Reads the signature footer at <paramref name="offset"/>: UInt16 length and the DER signature.</summary>
    public static bool TryReadFooter(ReadOnlySpan<byte> data, int offset, out int signatureOffset, out int signatureLength)
    {
        signatureOffset = 0;
        signatureLength = 0;
        var r = new Reader(data[offset..]);
        ushort length = r.UInt16();
        r.Bytes(length);
        if (r.Truncated)
        {
            return false;
        }

        signatureOffset = offset + 2;
        signatureLength = length;
        return true;
    }

    /// <summary>The number of regular frames and the final frame's length for a plaintext of <paramref name="length"/> bytes.</summary>
    public static (long RegularFrames, int FinalLength) Plan(long length, int frameLength)
    {
        // An exact multiple ends with a full final frame (legal, and one frame shorter than an empty final one).
        long regular = length == 0 ? 0 : (length - 1) / frameLength;
        return (regular, (int)(length - (regular * frameLength)));
    }

    public static void WriteRegularFrameHeader(Span<byte> destination, uint sequence) =>
        BinaryPrimitives.WriteUInt32BigEndian(destination, sequence);
}
