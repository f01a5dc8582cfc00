using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Text;
using Vaultlib.Internal;

namespace Vaultlib.Envelope.Format;

/// <summary>Framed (the only kind written) or non-framed (read for compatibility).</summary>
internal enum ContentType : byte
{
    NonFramed = 1,
    Framed = 2,
}

/// <summary>
/// A parsed AWS Encryption SDK message header (format versions 1 and 2), with the exact bytes it
/// was parsed from, which are what the header tag and the signature cover.
/// See <c>docs/formats/esdk-message.md</c>.
/// </summary>
internal sealed class MessageHeader
{
    public const byte TypeCustomerAuthenticated = 0x80;
    public const int IvLength = 12;
    public const int TagLength = 16;
    public const int CommitKeyLength = 32;

    public required byte Version { get; init; }

    public required AlgorithmSuite Suite { get; init; }

    public required byte[] MessageId { get; init; }

    public required IReadOnlyDictionary<string, string> EncryptionContext { get; init; }

    public required IReadOnlyList<EncryptedDataKey> EncryptedDataKeys { get; init; }

    public required ContentType ContentType { get; init; }

    public required int FrameLength { get; init; }

    /// <summary>v2: the commit key from the header; empty for v1.</summary>
    public required byte[] SuiteData { get; init; }

    /// <summary>v1: the header IV as serialized (encryptors write zeros); v2: twelve zeros.</summary>
    public required byte[] HeaderIv { get; init; }

    public required byte[] AuthTag { get; init; }

    /// <summary>Length of the header body (what the header tag authenticates).</summary>
    public required int BodyLength { get; init; }

    /// <summary>Length of the header body plus its authentication.</summary>
    public required int TotalLength { get; init; }

    public static int MessageIdLength(byte version) => version == 1 ? 16 : 32;

    public static int AuthLength(byte version) => version == 1 ? IvLength + TagLength : TagLength;

    // ------------------------------------------------------------------ writing

    /// <summary>The size of the header body for these fields.</summary>
    public static int BodySize(AlgorithmSuite suite, int serializedContextLength, IReadOnlyList<EncryptedDataKey> edks, Span<int> providerIdLengths)
    {
        int size = suite.MessageFormatVersion == 1 ? 1 + 1 + 2 + 16 : 1 + 2 + 32;
        size += 2 + serializedContextLength + 2;
        for (int i = 0; i < edks.Count; i++)
        {
            size += 2 + providerIdLengths[i] + 2 + edks[i].KeyProviderInfo.Length + 2 + edks[i].Ciphertext.Length;
        }

        size += suite.MessageFormatVersion == 1 ? 1 + 4 + 1 + 4 : 1 + 4 + CommitKeyLength;
        return size;
    }

    /// <summary>Writes the header body into <paramref name="destination"/> (exactly <see cref="BodySize"/> bytes).</summary>
    public static void WriteBody(Span<byte> destination, AlgorithmSuite suite, ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> serializedContext, IReadOnlyList<EncryptedDataKey> edks, int frameLength, ReadOnlySpan<byte> commitKey)
    {
        int o = 0;
        destination[o++] = suite.MessageFormatVersion;
        if (suite.MessageFormatVersion == 1)
        {
            destination[o++] = TypeCustomerAuthenticated;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[o..], suite.Id);
        o += 2;
        messageId.CopyTo(destination[o..]);
        o += messageId.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[o..], (ushort)serializedContext.Length);
        o += 2;
        serializedContext.CopyTo(destination[o..]);
        o += serializedContext.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[o..], (ushort)edks.Count);
        o += 2;
        foreach (EncryptedDataKey edk in edks)
        {
            int idLength = Encoding.UTF8.GetBytes(edk.KeyProviderId, destination[(o + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(destination[o..], (ushort)idLength);
            o += 2 + idLength;
            o += WriteField(destination[o..], edk.KeyProviderInfo.Span);
            o += WriteField(destination[o..], edk.Ciphertext.Span);
        }

        destination[o++] = (byte)ContentType.Framed;
        if (suite.MessageFormatVersion == 1)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[o..], 0);
            o += 4;
            destination[o++] = IvLength;
            BinaryPrimitives.WriteUInt32BigEndian(destination[o..], (uint)frameLength);
            o += 4;
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[o..], (uint)frameLength);
            o += 4;
            commitKey.CopyTo(destination[o..]);
            o += CommitKeyLength;
        }

        if (o != destination.Length)
        {
            throw new InvalidOperationException($"Header size mismatch: wrote {o} of {destination.Length} bytes.");
        }
    }

    private static int WriteField(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)value.Length);
        value.CopyTo(destination[2..]);
        return 2 + value.Length;
    }

    // ------------------------------------------------------------------ parsing

    /// <summary>
    /// Parses a header (body and authentication) from the start of <paramref name="data"/>.
    /// Returns false when <paramref name="data"/> ends before the header does (the caller reads
    /// more, or reports truncation); throws <see cref="BadCiphertextException"/> when it is malformed,
    /// and <see cref="MaxEncryptedDataKeysExceededException"/> as soon as the key count is over
    /// <paramref name="maxEncryptedDataKeys"/>. Nothing is allocated from a length field before
    /// the bytes it describes are present.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, int? maxEncryptedDataKeys, out MessageHeader? header)
    {
        // Every read is followed by a check of its own (`if (r.Truncated)`), before the value is used, so that
        // each check can be removed on its own (a mutation test) and still compile.
        header = null;
        var r = new Reader(data);
        byte version = r.Byte();
        if (r.Truncated)
        {
            return false;
        }

        if (version is not (1 or 2))
        {
            throw new BadCiphertextException($"The message format version 0x{version:X2} is not supported; versions 1 and 2 are.");
        }

        if (version == 1)
        {
            byte type = r.Byte();
            if (r.Truncated)
            {
                return false;
            }

            if (type != TypeCustomerAuthenticated)
            {
                throw new BadCiphertextException($"The message type 0x{type:X2} is not supported; 0x80 (customer authenticated encrypted data) is.");
            }
        }

        ushort suiteId = r.UInt16();
        if (r.Truncated)
        {
            return false;
        }

        AlgorithmSuite suite = AlgorithmSuite.FromId(suiteId)
            ?? throw new BadCiphertextException($"The algorithm suite 0x{suiteId:X4} is unknown.");
        if (suite.MessageFormatVersion != version)
        {
            throw new BadCiphertextException($"{suite} belongs in message format version {suite.MessageFormatVersion}, not {version}.");
        }

        ReadOnlySpan<byte> messageId = r.Bytes(MessageIdLength(version));
        ReadOnlySpan<byte> contextBytes = r.Bytes(r.UInt16());
        if (r.Truncated)
        {
            return false;
        }

        IReadOnlyDictionary<string, string> context = ParseContext(contextBytes);
        ushort edkCount = r.UInt16();
        if (r.Truncated)
        {
            return false;
        }

        if (edkCount == 0)
        {
            throw new BadCiphertextException("The message has no encrypted data keys.");
        }

        int max = maxEncryptedDataKeys ?? int.MaxValue;
        if (edkCount > max)
        {
            throw new MaxEncryptedDataKeysExceededException(edkCount, max);
        }

        // The count is untrusted: the list grows as keys are actually read.
        var edks = new List<EncryptedDataKey>(Math.Min((int)edkCount, 16));
        for (int i = 0; i < edkCount; i++)
        {
            ReadOnlySpan<byte> providerId = r.Bytes(r.UInt16());
            ReadOnlySpan<byte> info = r.Bytes(r.UInt16());
            ReadOnlySpan<byte> ciphertext = r.Bytes(r.UInt16());
            if (r.Truncated)
            {
                return false;
            }

            edks.Add(new EncryptedDataKey { KeyProviderId = Utf8(providerId, "An encrypted data key's provider id"), KeyProviderInfo = info.ToArray(), Ciphertext = ciphertext.ToArray() });
        }

        byte contentTypeByte = r.Byte();
        if (r.Truncated)
        {
            return false;
        }

        var contentType = (ContentType)contentTypeByte;
        if (contentType is not (ContentType.Framed or ContentType.NonFramed))
        {
            throw new BadCiphertextException($"The content type 0x{contentTypeByte:X2} is unknown; 0x01 (non-framed) and 0x02 (framed) are defined.");
        }

        uint frameLength = 0; // assigned below; initialized so that a mutation test can remove either branch and compile
        byte[] suiteData = [];
        if (version == 1)
        {
            uint reserved = r.UInt32();
            byte ivLength = r.Byte();
            frameLength = r.UInt32();
            if (r.Truncated)
            {
                return false;
            }

            if (reserved != 0)
            {
                throw new BadCiphertextException("The header's reserved field is not zero.");
            }

            if (ivLength != IvLength)
            {
                throw new BadCiphertextException($"The header's IV length is {ivLength}; it must be {IvLength}.");
            }
        }
        else
        {
            frameLength = r.UInt32();
            ReadOnlySpan<byte> commit = r.Bytes(CommitKeyLength);
            if (r.Truncated)
            {
                return false;
            }

            suiteData = commit.ToArray();
        }

        if (contentType == ContentType.Framed && (frameLength == 0 || frameLength > int.MaxValue))
        {
            throw new BadCiphertextException($"The frame length {frameLength} is outside 1-{int.MaxValue}.");
        }

        if (contentType == ContentType.NonFramed && frameLength != 0)
        {
            throw new BadCiphertextException("A non-framed message must have frame length 0.");
        }

        int bodyLength = r.Position;
        byte[] iv = new byte[IvLength];
        if (version == 1)
        {
            r.Bytes(IvLength).CopyTo(iv);
        }

        ReadOnlySpan<byte> tag = r.Bytes(TagLength);
        if (r.Truncated)
        {
            return false;
        }

        header = new MessageHeader
        {
            Version = version,
            Suite = suite,
            MessageId = messageId.ToArray(),
            EncryptionContext = context,
            EncryptedDataKeys = edks,
            ContentType = contentType,
            FrameLength = (int)frameLength,
            SuiteData = suiteData,
            HeaderIv = iv,
            AuthTag = tag.ToArray(),
            BodyLength = bodyLength,
            TotalLength = r.Position,
        };
        return true;
    }

    private static ReadOnlyDictionary<string, string> ParseContext(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlyDictionary<string, string>.Empty;
        }

        var r = new Reader(bytes);
        ushort count = r.UInt16();
        if (r.Truncated)
        {
            throw new BadCiphertextException("The encryption context is truncated.");
        }

        var context = new Dictionary<string, string>(Math.Min((int)count, 64), StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> key = r.Bytes(r.UInt16());
            ReadOnlySpan<byte> value = r.Bytes(r.UInt16());
            if (r.Truncated)
            {
                throw new BadCiphertextException("The encryption context is truncated: its pairs run past its length.");
            }

            if (!context.TryAdd(Utf8(key, "An encryption context key"), Utf8(value, "An encryption context value")))
            {
                throw new BadCiphertextException("The encryption context has a duplicate key.");
            }
        }

        if (r.Position != bytes.Length)
        {
            throw new BadCiphertextException("The encryption context has bytes past its last pair.");
        }

        return new ReadOnlyDictionary<string, string>(context);
    }

    private static string Utf8(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.Encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new BadCiphertextException($"{what} is not valid UTF-8.");
        }
    }
}
