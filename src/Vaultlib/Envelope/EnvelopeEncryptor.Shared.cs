using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Vaultlib.Envelope.Format;

namespace Vaultlib.Envelope;

// The steps the one-shot and streaming APIs share: materials, checks, signatures.
public sealed partial class EnvelopeEncryptor
{
    // ================================================================== shared steps

    private static ICryptoMaterialsManager MaterialsManager(IKeyring? keyring, ICryptoMaterialsManager? cmm) => (keyring, cmm) switch
    {
        (not null, null) => new DefaultCryptoMaterialsManager(keyring),
        (null, not null) => cmm,
        _ => throw new ValidationException("Keyring", "Exactly one of Keyring and MaterialsManager is required."),
    };

    private IReadOnlyDictionary<string, string> ValidateEncrypt(IReadOnlyDictionary<string, string>? context, AlgorithmSuite? suite, int frameLength)
    {
        if (frameLength < 1)
        {
            throw new ValidationException("FrameLength", $"FrameLength must be between 1 and {int.MaxValue}; it is {frameLength}.");
        }

        if (suite is not null)
        {
            CommitmentPolicies.RequireEncryptAllowed(_options.CommitmentPolicy, suite);
        }

        if (context is null)
        {
            return s_empty;
        }

        foreach (string key in context.Keys)
        {
            if (key.StartsWith(ReservedContextPrefix, StringComparison.Ordinal))
            {
                throw new ValidationException("EncryptionContext", $"Encryption context keys must not start with the reserved prefix '{ReservedContextPrefix}' ('{key}').");
            }
        }

        return context;
    }

    private void ValidateMaterials(EncryptionMaterials materials, AlgorithmSuite? requested)
    {
        CommitmentPolicies.RequireEncryptAllowed(_options.CommitmentPolicy, materials.Suite);
        if (requested is not null && materials.Suite != requested)
        {
            throw new InvalidOperationException($"The materials manager returned {materials.Suite}, not the requested {requested}.");
        }

        if (!materials.HasPlaintextDataKey || materials.EncryptedDataKeys.Count == 0)
        {
            throw new InvalidOperationException("The materials manager returned no data key or no encrypted data key.");
        }

        if (materials.EncryptedDataKeys.Count > ushort.MaxValue)
        {
            throw new InvalidOperationException($"A message holds at most {ushort.MaxValue} encrypted data keys.");
        }

        if (_options.MaxEncryptedDataKeys is { } max && materials.EncryptedDataKeys.Count > max)
        {
            throw new MaxEncryptedDataKeysExceededException(materials.EncryptedDataKeys.Count, max);
        }

        if (materials.Suite.IsSigning && materials.SigningKey is null)
        {
            throw new InvalidOperationException($"The materials for signing suite {materials.Suite} have no signing key.");
        }
    }

    /// <summary>What to ask the materials manager for to decrypt a message with this header.</summary>
    internal DecryptMaterialsInput DecryptMaterialsRequest(MessageHeader header, IReadOnlyDictionary<string, string>? reproduced)
    {
        CommitmentPolicies.RequireDecryptAllowed(_options.CommitmentPolicy, header.Suite);
        return new DecryptMaterialsInput
        {
            AlgorithmSuiteId = header.Suite,
            CommitmentPolicy = _options.CommitmentPolicy,
            EncryptedDataKeys = header.EncryptedDataKeys,
            EncryptionContext = header.EncryptionContext,
            ReproducedEncryptionContext = reproduced,
        };
    }

    /// <summary>Checks that the materials fit the message (disposing them when not).</summary>
    internal static DecryptionMaterials CheckDecryptionMaterials(DecryptionMaterials materials, MessageHeader header)
    {
        if (materials.Suite != header.Suite || !materials.HasPlaintextDataKey || (header.Suite.IsSigning && materials.VerificationKey is null))
        {
            materials.Dispose();
            throw new InvalidOperationException("The materials manager returned materials that do not fit the message.");
        }

        return materials;
    }

    /// <summary>What to ask the materials manager for to encrypt, after checking the caller's input.</summary>
    private GetEncryptionMaterialsInput EncryptionMaterialsRequest(IReadOnlyDictionary<string, string>? context, AlgorithmSuite? suite, int frameLength, long? plaintextLength) => new()
    {
        EncryptionContext = ValidateEncrypt(context, suite, frameLength),
        CommitmentPolicy = _options.CommitmentPolicy,
        AlgorithmSuiteId = suite,
        MaxPlaintextLength = plaintextLength,
    };

    /// <summary>The message id's randomness: the system's, or a test's.</summary>
    internal Action<Span<byte>> Random => _options.RandomFill ?? RandomNumberGenerator.Fill;

    internal static int MaxSignatureLength(AlgorithmSuite suite) => suite.SignaturePublicKeyLength == 33 ? 72 : 104;

    internal static int Sign(ECDsa key, AlgorithmSuite suite, ReadOnlySpan<byte> signed, Span<byte> footer)
    {
        Span<byte> hash = stackalloc byte[48];
        int hashLength = suite.SignatureHash == HashAlgorithmName.SHA256 ? SHA256.HashData(signed, hash) : SHA384.HashData(signed, hash);
        return WriteSignature(key, hash[..hashLength], footer);
    }

    internal static int WriteSignature(ECDsa key, ReadOnlySpan<byte> hash, Span<byte> footer)
    {
        if (!key.TrySignHash(hash, footer[2..], DSASignatureFormat.Rfc3279DerSequence, out int length))
        {
            throw new InvalidOperationException("The signature did not fit its footer.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(footer, (ushort)length);
        return 2 + length;
    }

    private static bool Verify(ECDsa key, AlgorithmSuite suite, ReadOnlySpan<byte> signed, ReadOnlySpan<byte> signature)
    {
        Span<byte> hash = stackalloc byte[48];
        int hashLength = suite.SignatureHash == HashAlgorithmName.SHA256 ? SHA256.HashData(signed, hash) : SHA384.HashData(signed, hash);
        return VerifyHash(key, hash[..hashLength], signature);
    }

    internal static bool VerifyHash(ECDsa key, ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    internal static MessageCrypto.BodyKind BodyKindOf(FrameKind kind) => kind switch
    {
        FrameKind.Regular => MessageCrypto.BodyKind.Frame,
        FrameKind.Final => MessageCrypto.BodyKind.FinalFrame,
        _ => MessageCrypto.BodyKind.SingleBlock,
    };

    internal static AesGcm OpenHeaderForStreaming(MessageHeader header, DecryptionMaterials materials, ReadOnlySpan<byte> headerBody, Span<byte> contentKey) =>
        OpenHeader(header, materials, headerBody, contentKey);

    internal static void OpenFrameForStreaming(AesGcm gcm, MessageHeader header, ReadOnlySpan<byte> source, in FrameLayout frame, Span<byte> destination) =>
        OpenFrame(gcm, header, source, frame, destination);

    /// <summary>Hands out one array of exactly the size asked for: the one-shot APIs' output.</summary>
    private sealed class ExactArrayWriter : IBufferWriter<byte>
    {
        private byte[] _array = [];
        private int _written;

        public ReadOnlyMemory<byte> Written => _array.AsMemory(0, _written);

        public Span<byte> GetSpan(int sizeHint = 0) => _array = GC.AllocateUninitializedArray<byte>(sizeHint);

        public Memory<byte> GetMemory(int sizeHint = 0) => _array = GC.AllocateUninitializedArray<byte>(sizeHint);

        public void Advance(int count) => _written += count;
    }
}
