using System.Buffers;
using System.Runtime.InteropServices;

namespace Vaultlib.Internal;

internal static class MemoryMarshalHelpers
{
    /// <summary>The written part of an <see cref="ArrayBufferWriter{T}"/> as a writable span, to zero it.</summary>
    public static Span<byte> AsWritable(ArrayBufferWriter<byte> buffer) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(buffer.WrittenSpan), buffer.WrittenCount);
}
