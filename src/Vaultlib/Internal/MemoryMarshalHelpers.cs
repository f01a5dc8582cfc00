using System.Buffers;
using System.Runtime.InteropServices;

namespace Vaultlib.Internal;

internal static class MemoryMarshalHelpers
{
    /// <summary>Zeroes memory handed over as read-only but ours to wipe (a KMS answer's plaintext, once copied out).</summary>
    public static void Zero(ReadOnlyMemory<byte> memory) => System.Security.Cryptography.CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(memory).Span);

    /// <summary>The written part of an <see cref="ArrayBufferWriter{T}"/> as a writable span, to zero it.</summary>
    public static Span<byte> AsWritable(ArrayBufferWriter<byte> buffer) =>
        MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(buffer.WrittenSpan), buffer.WrittenCount);
}
