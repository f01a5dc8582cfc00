using System.Security.Cryptography;
using Vaultlib.Envelope.Format;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// A read buffer over a stream that grows only as data arrives (never to a size a message field
/// claims), and compacts what was consumed.
/// </summary>
internal sealed class StreamBuffer(Stream stream)
{
    private byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>Reads more bytes; false at the end of the stream.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= Array.MaxLength / 2)
            {
                throw new BadCiphertextException("A single frame of the message is larger than one buffer can hold.");
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Zeroes what the buffer held (ciphertext only, but no need to leave it around).</summary>
    public void Clear() => Array.Clear(_buffer);
}

/// <summary>Writes one message to a stream, frame by frame, holding two frames of plaintext at most.</summary>
internal sealed class StreamingEncryptor : IDisposable
{
    private readonly EncryptionMaterials _materials;
    private readonly int _frameLength;
    private readonly byte[] _messageId;
    private readonly byte[] _header;
    private readonly AesGcm _gcm;
    private readonly IncrementalHash? _signatureHash;

    public StreamingEncryptor(EncryptionMaterials materials, int frameLength)
    {
        _materials = materials;
        _frameLength = frameLength;
        AlgorithmSuite suite = materials.Suite;
        _messageId = RandomNumberGenerator.GetBytes(MessageHeader.MessageIdLength(suite.MessageFormatVersion));
        _header = new byte[EnvelopeEncryptor.HeaderLength(materials)];
        _gcm = EnvelopeEncryptor.WriteHeader(materials, frameLength, _messageId, _header);
        if (suite.IsSigning)
        {
            _signatureHash = IncrementalHash.CreateHash(suite.SignatureHash);
            _signatureHash.AppendData(_header);
        }
    }

    /// <summary>Encrypts the whole input; returns the plaintext length.</summary>
    public async Task<long> RunAsync(Stream input, Stream output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(_header, cancellationToken).ConfigureAwait(false);
        byte[] current = new byte[_frameLength];
        byte[] next = new byte[_frameLength];
        byte[] sealedFrame = new byte[_frameLength + BodyFormat.FinalFrameOverhead];
        long total = 0;
        try
        {
            int currentLength = await input.ReadAtLeastAsync(current, _frameLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            for (uint sequence = 1; ; sequence++)
            {
                int nextLength = currentLength == _frameLength
                    ? await input.ReadAtLeastAsync(next, _frameLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
                    : 0;
                bool final = nextLength == 0;
                if (!final && sequence == MessageCrypto.FinalFrameMarker - 1)
                {
                    throw new ValidationException("FrameLength", "The plaintext needs more frames than the format allows; use a larger FrameLength.");
                }

                int length = final
                    ? MessageCrypto.SealFinalFrame(_gcm, _messageId, sequence, current.AsSpan(0, currentLength), sealedFrame)
                    : MessageCrypto.SealRegularFrame(_gcm, _messageId, sequence, current, sealedFrame);
                _signatureHash?.AppendData(sealedFrame, 0, length);
                await output.WriteAsync(sealedFrame.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                total += currentLength;
                if (final)
                {
                    break;
                }

                (current, next) = (next, current);
                currentLength = nextLength;
            }

            if (_signatureHash is not null)
            {
                byte[] footer = new byte[2 + EnvelopeEncryptor.MaxSignatureLength(_materials.Suite)];
                int length = EnvelopeEncryptor.WriteSignature(_materials.SigningKey!, _signatureHash.GetHashAndReset(), footer);
                await output.WriteAsync(footer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            return total;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(current);
            CryptographicOperations.ZeroMemory(next);
        }
    }

    public void Dispose()
    {
        _gcm.Dispose();
        _signatureHash?.Dispose();
    }
}

/// <summary>Reads one message from a stream, releasing each frame once it is authenticated.</summary>
internal static class StreamingDecryptor
{
    public static async Task<long> RunAsync(MessageHeader header, DecryptionMaterials materials, StreamBuffer reader, Stream output, CancellationToken cancellationToken)
    {
        byte[] contentKey = GC.AllocateArray<byte>(32, pinned: true);
        AesGcm gcm;
        try
        {
            gcm = EnvelopeEncryptor.OpenHeaderForStreaming(header, materials, reader.Available[..header.BodyLength], contentKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }

        using (gcm)
        using (IncrementalHash? hash = header.Suite.IsSigning ? IncrementalHash.CreateHash(header.Suite.SignatureHash) : null)
        {
            hash?.AppendData(reader.Available[..header.TotalLength]);
            reader.Consume(header.TotalLength);
            byte[] plaintext = header.ContentType == ContentType.Framed ? new byte[header.FrameLength] : [];
            byte[]? held = null;
            int heldLength = 0;
            long total = 0;
            try
            {
                for (uint sequence = 1; ; sequence++)
                {
                    FrameLayout frame;
                    while (!BodyFormat.TryReadFrame(reader.Available, 0, header, sequence, out frame))
                    {
                        if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw new BadCiphertextException($"The message is truncated: the stream ends inside frame {sequence}.");
                        }
                    }

                    if (frame.CiphertextLength > plaintext.Length)
                    {
                        plaintext = new byte[frame.CiphertextLength]; // non-framed: sized by bytes already read
                    }

                    EnvelopeEncryptor.OpenFrameForStreaming(gcm, header, reader.Available, frame, plaintext.AsSpan(0, frame.CiphertextLength));
                    hash?.AppendData(reader.Available[..frame.End]);
                    reader.Consume(frame.End);
                    if (frame.Kind != FrameKind.Regular && hash is not null)
                    {
                        (held, heldLength) = (plaintext, frame.CiphertextLength);
                        break;
                    }

                    await output.WriteAsync(plaintext.AsMemory(0, frame.CiphertextLength), cancellationToken).ConfigureAwait(false);
                    total += frame.CiphertextLength;
                    if (frame.Kind != FrameKind.Regular)
                    {
                        break;
                    }
                }

                if (hash is not null)
                {
                    int signatureOffset, signatureLength;
                    while (!BodyFormat.TryReadFooter(reader.Available, 0, out signatureOffset, out signatureLength))
                    {
                        if (!await reader.FillAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw new BadCiphertextException("The message is truncated: its signature is missing or incomplete.");
                        }
                    }

                    if (!EnvelopeEncryptor.VerifyHash(materials.VerificationKey!, hash.GetHashAndReset(), reader.Available.Slice(signatureOffset, signatureLength)))
                    {
                        throw BadCiphertextException.AuthenticationFailed();
                    }

                    reader.Consume(signatureOffset + signatureLength);
                }

                if (!reader.Available.IsEmpty || await reader.FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new BadCiphertextException("The message is followed by more bytes.");
                }

                if (held is not null)
                {
                    await output.WriteAsync(held.AsMemory(0, heldLength), cancellationToken).ConfigureAwait(false);
                    total += heldLength;
                }

                return total;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
                reader.Clear();
            }
        }
    }
}
