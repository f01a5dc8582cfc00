using System.Buffers.Binary;
using System.Text;

using Vaultlib.Pipeline;

namespace Vaultlib.Internal;

/// <summary>
/// The canonical encoding of an encryption context, identical to the AWS Encryption SDK's
/// (message-header "encryption context" serialization): nothing for an empty context; otherwise a
/// big-endian UInt16 pair count, then for each pair in ascending order of the key's UTF-8 bytes,
/// UInt16 key length, key, UInt16 value length, value. Equal contexts give equal bytes whatever
/// the dictionary's order, so the encoding can be bound as AAD.
/// </summary>
internal static class EncryptionContextSerializer
{
    /// <summary>The largest encoding accepted (the ESDK limit: the length field is a UInt16).</summary>
    public const int MaxSerializedLength = ushort.MaxValue;

    /// <summary>Encodes <paramref name="context"/>; throws a <see cref="Pipeline.RequestFault"/> naming <paramref name="member"/> when it cannot be encoded.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, string>? context, string member = "EncryptionContext")
    {
        if (context is null || context.Count == 0)
        {
            return [];
        }

        if (context.Count > ushort.MaxValue)
        {
            throw new RequestFault(member, $"The {member} has {context.Count} pairs; at most {ushort.MaxValue} are allowed.");
        }

        var pairs = new (byte[] Key, byte[] Value)[context.Count];
        int index = 0;
        long total = 2;
        foreach (KeyValuePair<string, string> pair in context)
        {
            if (pair.Key is null || pair.Value is null)
            {
                throw new RequestFault(member, $"The {member} contains a null key or value.");
            }

            byte[] key = Encode(pair.Key, member);
            byte[] value = Encode(pair.Value, member);
            if (key.Length == 0)
            {
                throw new RequestFault(member, $"The {member} contains an empty key.");
            }

            if (key.Length > ushort.MaxValue || value.Length > ushort.MaxValue)
            {
                throw new RequestFault(member, $"An {member} key or value is longer than {ushort.MaxValue} UTF-8 bytes.");
            }

            total += 4 + key.Length + value.Length;
            pairs[index++] = (key, value);
        }

        if (total > MaxSerializedLength)
        {
            throw new RequestFault(member, $"The {member} encodes to {total} bytes; at most {MaxSerializedLength} are allowed.");
        }

        Array.Sort(pairs, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        byte[] output = new byte[total];
        Span<byte> span = output;
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)pairs.Length);
        int offset = 2;
        foreach ((byte[] key, byte[] value) in pairs)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)key.Length);
            key.CopyTo(span[(offset + 2)..]);
            offset += 2 + key.Length;
            BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)value.Length);
            value.CopyTo(span[(offset + 2)..]);
            offset += 2 + value.Length;
        }

        return output;
    }

    /// <summary>
    /// The length of the canonical encoding, or -1 when it cannot be encoded (the caller then
    /// calls <see cref="Serialize(IReadOnlyDictionary{string, string}?, string)"/> for the precise error).
    /// </summary>
    public static int GetSerializedLength(IReadOnlyDictionary<string, string>? context)
    {
        if (context is null || context.Count == 0)
        {
            return 0;
        }

        long total = 2;
        try
        {
            foreach (KeyValuePair<string, string> pair in context)
            {
                total += 4 + StrictUtf8.Encoding.GetByteCount(pair.Key) + StrictUtf8.Encoding.GetByteCount(pair.Value);
            }
        }
        catch (EncoderFallbackException)
        {
            return -1;
        }

        return total > MaxSerializedLength ? -1 : (int)total;
    }

    /// <summary>
    /// Writes the canonical encoding into <paramref name="destination"/> (exactly
    /// <see cref="GetSerializedLength"/> bytes) without allocating for contexts of up to 64 pairs:
    /// pairs are ordered by code point, which is the order of their UTF-8 bytes.
    /// </summary>
    public static void SerializeTo(IReadOnlyDictionary<string, string> context, Span<byte> destination)
    {
        if (context.Count == 0)
        {
            return;
        }

        string[] keys = System.Buffers.ArrayPool<string>.Shared.Rent(context.Count);
        try
        {
            int n = 0;
            foreach (KeyValuePair<string, string> pair in context)
            {
                keys[n++] = pair.Key;
            }

            Array.Sort(keys, 0, n, Utf8OrderComparer.Instance);
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)n);
            int offset = 2;
            for (int i = 0; i < n; i++)
            {
                offset += WriteString(destination[offset..], keys[i]);
                offset += WriteString(destination[offset..], context[keys[i]]);
            }
        }
        // Stryker disable all : returning the pooled array (cleared, so it holds no context keys) is not observable (marked on the block, since Stryker removes a finally block whole)
        finally
        {
            System.Buffers.ArrayPool<string>.Shared.Return(keys, clearArray: true);
        }

        // Stryker restore all

        static int WriteString(Span<byte> destination, string value)
        {
            int length = StrictUtf8.Encoding.GetBytes(value, destination[2..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
            return 2 + length;
        }
    }

    /// <summary>Orders strings by code point (= by their UTF-8 bytes), unlike ordinal UTF-16 order for surrogates.</summary>
    private sealed class Utf8OrderComparer : IComparer<string>
    {
        public static Utf8OrderComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            int length = Math.Min(x!.Length, y!.Length);
            for (int i = 0; i < length; i++)
            {
                char a = x[i], b = y[i];
                if (a != b)
                {
                    return Fix(a) - Fix(b);
                }
            }

            return x.Length - y.Length;

            // Surrogates (U+D800-DFFF) encode code points above U+FFFF: move them above U+E000-FFFF.
            static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
        }
    }

    private static byte[] Encode(string text, string member)
    {
        try
        {
            return StrictUtf8.Encoding.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new RequestFault(member, $"The {member} contains a string that is not valid UTF-16 (a lone surrogate).");
        }
    }
}
