using System.Buffers.Binary;
using System.Text;

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

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes <paramref name="context"/>; throws <see cref="ValidationException"/> naming <paramref name="member"/> when it cannot be encoded.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, string>? context, string member = "EncryptionContext")
    {
        if (context is null || context.Count == 0)
        {
            return [];
        }

        if (context.Count > ushort.MaxValue)
        {
            throw new ValidationException(member, $"The {member} has {context.Count} pairs; at most {ushort.MaxValue} are allowed.");
        }

        var pairs = new (byte[] Key, byte[] Value)[context.Count];
        int index = 0;
        long total = 2;
        foreach (KeyValuePair<string, string> pair in context)
        {
            if (pair.Key is null || pair.Value is null)
            {
                throw new ValidationException(member, $"The {member} contains a null key or value.");
            }

            byte[] key = Encode(pair.Key, member);
            byte[] value = Encode(pair.Value, member);
            if (key.Length == 0)
            {
                throw new ValidationException(member, $"The {member} contains an empty key.");
            }

            if (key.Length > ushort.MaxValue || value.Length > ushort.MaxValue)
            {
                throw new ValidationException(member, $"An {member} key or value is longer than {ushort.MaxValue} UTF-8 bytes.");
            }

            total += 4 + key.Length + value.Length;
            pairs[index++] = (key, value);
        }

        if (total > MaxSerializedLength)
        {
            throw new ValidationException(member, $"The {member} encodes to {total} bytes; at most {MaxSerializedLength} are allowed.");
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

    private static byte[] Encode(string text, string member)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ValidationException(member, $"The {member} contains a string that is not valid UTF-16 (a lone surrogate).");
        }
    }
}
