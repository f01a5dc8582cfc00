using System.Buffers.Binary;

namespace Vaultlib.Envelope.Format;

/// <summary>
/// Bounds-checked big-endian reads over untrusted bytes. A read past the end never throws: it sets
/// <see cref="Truncated"/> and returns zero or an empty span, and so does every read after it. Parsers read a
/// field, check <see cref="Truncated"/>, and only then use the value, so nothing is allocated or decided from
/// bytes that are not there.
/// </summary>
internal ref struct Reader
{
    private readonly ReadOnlySpan<byte> _data;

    public Reader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>How many bytes the reads so far consumed.</summary>
    public int Position { get; private set; }

    /// <summary>True once a read wanted more bytes than were left.</summary>
    public bool Truncated { get; private set; }

    public byte Byte()
    {
        ReadOnlySpan<byte> bytes = Bytes(1);
        return Truncated ? (byte)0 : bytes[0];
    }

    public ushort UInt16()
    {
        ReadOnlySpan<byte> bytes = Bytes(2);
        return Truncated ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(bytes);
    }

    public uint UInt32()
    {
        ReadOnlySpan<byte> bytes = Bytes(4);
        return Truncated ? 0 : BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public ulong UInt64()
    {
        ReadOnlySpan<byte> bytes = Bytes(8);
        return Truncated ? 0 : BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }

    /// <summary>The next <paramref name="length"/> bytes, or an empty span (and <see cref="Truncated"/>) when fewer are left.</summary>
    public ReadOnlySpan<byte> Bytes(int length)
    {
        if (Truncated || _data.Length - Position < length)
        {
            Truncated = true;
            return default;
        }

        ReadOnlySpan<byte> value = _data.Slice(Position, length);
        Position += length;
        return value;
    }
}
