using System.Security.Cryptography;

namespace Vaultlib.Internal;

/// <summary>
/// Random bytes for public values only: nonces, IVs and message ids. Asking the operating
/// system's generator for 12 bytes costs about 0.8 µs here, most of a KMS Encrypt. This class
/// draws 4 KiB at a time into a buffer per thread and hands each byte out exactly once.
/// </summary>
/// <remarks>
/// The bytes are still the system CSPRNG's output. Nothing secret is ever taken from this
/// buffer: keys, data keys and GenerateRandom still call <see cref="RandomNumberGenerator"/>
/// directly, so no key material sits in a managed buffer.
/// </remarks>
internal static class Nonces
{
    private const int BlockSize = 4096;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    /// <summary>Fills <paramref name="destination"/> with random bytes no other call receives.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BlockSize / 4)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        byte[]? block = t_block;
        if (block is null || t_used + destination.Length > BlockSize)
        {
            block ??= t_block = new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            t_used = 0;
        }

        block.AsSpan(t_used, destination.Length).CopyTo(destination);
        block.AsSpan(t_used, destination.Length).Clear(); // a handed-out byte is never seen again, here or in a dump
        t_used += destination.Length;
    }
}
