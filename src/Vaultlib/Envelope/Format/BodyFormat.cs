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
        frame = default;
        var r = new Reader(data[offset..]);
        if (header.ContentType == ContentType.NonFramed)
        {
            if (!r.TryBytes(MessageCrypto.IvLength, out _) || !r.TryUInt64(out ulong length))
            {
                return false;
            }

            if (length > MaxNonFramedLength || length > int.MaxValue - 64)
            {
                throw new BadCiphertextException($"The non-framed content length {length} is over the limit.");
            }

            int ciphertextOffset = offset + r.Position;
            if (!r.TryBytes((int)length, out _) || !r.TryBytes(MessageCrypto.TagLength, out _))
            {
                return false;
            }

            frame = new FrameLayout(FrameKind.SingleBlock, 1, offset, ciphertextOffset, (int)length, ciphertextOffset + (int)length, offset + r.Position);
            return true;
        }

        if (!r.TryUInt32(out uint marker))
        {
            return false;
        }

        if (marker == MessageCrypto.FinalFrameMarker)
        {
            if (!r.TryUInt32(out uint sequence))
            {
                return false;
            }

            if (sequence != expectedSequence)
            {
                throw new BadCiphertextException($"The final frame has sequence number {sequence}; {expectedSequence} was expected.");
            }

            int ivOffset = offset + r.Position;
            if (!r.TryBytes(MessageCrypto.IvLength, out _) || !r.TryUInt32(out uint length))
            {
                return false;
            }

            if (length > (uint)header.FrameLength)
            {
                throw new BadCiphertextException($"The final frame claims {length} bytes, more than the frame length {header.FrameLength}.");
            }

            int ciphertextOffset = offset + r.Position;
            if (!r.TryBytes((int)length, out _) || !r.TryBytes(MessageCrypto.TagLength, out _))
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
        if (!r.TryBytes(MessageCrypto.IvLength, out _))
        {
            return false;
        }

        int regularCiphertext = offset + r.Position;
        if (!r.TryBytes(header.FrameLength, out _) || !r.TryBytes(MessageCrypto.TagLength, out _))
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
        if (!r.TryUInt16(out ushort length) || !r.TryBytes(length, out _))
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
