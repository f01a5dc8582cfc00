using System.Buffers;
using System.Security.Cryptography;
using Vaultlib.Envelope.Format;

namespace Vaultlib.Envelope;

/// <summary>
/// A read buffer over a stream that grows only as data arrives (never to a size a message field
/// claims), and compacts what was consumed. Reads synchronously or asynchronously.
/// </summary>
internal sealed class StreamBuffer(Stream stream)
{
    private byte[] _buffer = new byte[8192];

    /// <summary>The most the buffer may grow to (one frame's worth); lowered only by tests, which cannot fill 1 GiB.</summary>
    internal int MaxLength { get; init; } = Array.MaxLength;
    private int _start;
    private int _end;

    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    /// <summary>The buffer's size now (tests check it stays near the frame length).</summary>
    public int Capacity => _buffer.Length;

    public void Consume(int count) => _start += count;

    /// <summary>Reads more bytes; false at the end of the stream.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        int read = await stream.ReadAsync(MakeRoom(), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Reads more bytes; false at the end of the stream.</summary>
    public bool Fill()
    {
        int read = stream.Read(MakeRoom().Span);
        _end += read;
        return read > 0;
    }

    /// <summary>Zeroes what the buffer held (ciphertext only, but no need to leave it around).</summary>
    public void Clear() => Array.Clear(_buffer);

    private Memory<byte> MakeRoom()
    {
        // Stryker disable once Equality : moving zero consumed bytes changes nothing
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLength / 2)
            {
                throw new BadCiphertextException("A single frame of the message is larger than one buffer can hold.");
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        return _buffer.AsMemory(_end);
    }
}

/// <summary>
/// One message being encrypted, with no I/O: plaintext goes in by <see cref="Write"/> in pieces of any size; each
/// regular frame is sealed once more plaintext follows it (so the last frame is always the final frame), and
/// <see cref="Finish"/> seals the final frame and the signature. It holds one frame of plaintext, zeroed on dispose.
/// </summary>
internal sealed class MessageEncryption : IDisposable
{
    private readonly EncryptionMaterials _materials;
    private readonly int _frameLength;
    private readonly byte[] _messageId;
    private readonly AesGcm _gcm;
    private readonly IncrementalHash? _signatureHash;
    private readonly byte[] _frame;
    private int _filled;
    private uint _sequence = 1;

    /// <summary>Starts at a later frame number; only tests, which cannot write four billion frames, set it.</summary>
    internal uint NextSequenceForTests
    {
        set => _sequence = value;
    }

    public MessageEncryption(EncryptionMaterials materials, int frameLength, Action<Span<byte>> random)
    {
        _materials = materials;
        _frameLength = frameLength;
        AlgorithmSuite suite = materials.Suite;
        _messageId = new byte[MessageHeader.MessageIdLength(suite.MessageFormatVersion)];
        random(_messageId);
        Header = new byte[EnvelopeEncryptor.HeaderLength(materials)];
        _gcm = EnvelopeEncryptor.WriteHeader(materials, frameLength, _messageId, Header);
        if (suite.IsSigning)
        {
            _signatureHash = IncrementalHash.CreateHash(suite.SignatureHash);
            _signatureHash.AppendData(Header);
        }

        // Stryker disable once Boolean : pinned or not, the same bytes (pinning only keeps the GC from copying plaintext around)
        _frame = GC.AllocateUninitializedArray<byte>(frameLength, pinned: true);
    }

    /// <summary>The serialized header, to write first.</summary>
    public byte[] Header { get; }

    /// <summary>The plaintext taken so far.</summary>
    public long PlaintextLength { get; private set; }

    public bool IsFinished { get; private set; }

    /// <summary>Takes plaintext; writes every frame it completes (and that more plaintext follows) to <paramref name="output"/>.</summary>
    public void Write(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> output)
    {
        while (!plaintext.IsEmpty)
        {
            if (_filled == _frameLength)
            {
                if (_sequence == MessageCrypto.FinalFrameMarker - 1)
                {
                    throw new ValidationException("FrameLength", "The plaintext needs more frames than the format allows; use a larger FrameLength.");
                }

                Span<byte> sealedFrame = output.GetSpan(BodyFormat.RegularFrameOverhead + _frameLength);
                int length = MessageCrypto.SealRegularFrame(_gcm, _messageId, _sequence++, _frame, sealedFrame);
                _signatureHash?.AppendData(sealedFrame[..length]);
                output.Advance(length);
                _filled = 0;
            }

            int take = Math.Min(plaintext.Length, _frameLength - _filled);
            plaintext[..take].CopyTo(_frame.AsSpan(_filled));
            _filled += take;
            PlaintextLength += take;
            plaintext = plaintext[take..];
        }
    }

    /// <summary>Seals the final frame (what is held, possibly nothing) and, for signing suites, the signature.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        Span<byte> sealedFrame = output.GetSpan(BodyFormat.FinalFrameOverhead + _filled);
        int length = MessageCrypto.SealFinalFrame(_gcm, _messageId, _sequence, _frame.AsSpan(0, _filled), sealedFrame);
        _signatureHash?.AppendData(sealedFrame[..length]);
        output.Advance(length);
        if (_signatureHash is not null)
        {
            Span<byte> footer = output.GetSpan(2 + EnvelopeEncryptor.MaxSignatureLength(_materials.Suite));
            output.Advance(EnvelopeEncryptor.WriteSignature(_materials.SigningKey!, _signatureHash.GetHashAndReset(), footer));
        }

        IsFinished = true;
        // Stryker disable once Statement : zeroing or disposing what is dropped is not observable without reading freed memory
        CryptographicOperations.ZeroMemory(_frame);
    }

    // Stryker disable once Statement,Block : zeroing or disposing what is dropped is not observable without reading freed memory
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_frame);
        _gcm.Dispose();
        _signatureHash?.Dispose();
    }
}

/// <summary>
/// One message being decrypted, with no I/O: the caller offers the ciphertext it has, and <see cref="Next"/>
/// consumes one frame (or the footer) at a time and releases plaintext only once it is authenticated. For a
/// signing suite the final frame is held until the signature verifies, and with <c>holdUntilVerified</c> every
/// frame is; the caller checks that the stream ends, then takes the held plaintext with <see cref="ReleaseHeld"/>.
/// </summary>
internal sealed class MessageDecryption : IDisposable
{
    private readonly MessageHeader _header;
    private readonly DecryptionMaterials _materials;
    private readonly AesGcm _gcm;
    private readonly IncrementalHash? _hash;
    private readonly bool _holdAll;
    private byte[] _plaintext;
    private byte[] _held = [];
    private int _heldLength;
    private uint _sequence = 1;
    private bool _inFooter;

    /// <summary>The most plaintext held until the signature verifies; lowered only by tests, which cannot hold 2 GB.</summary>
    internal int MaxHeldLength { get; init; } = Array.MaxLength;

    /// <param name="header">The parsed header.</param>
    /// <param name="materials">Materials that fit it.</param>
    /// <param name="headerBytes">The header's bytes (its total length).</param>
    /// <param name="holdUntilVerified">For signing suites, hold every frame until the signature verifies.</param>
    public MessageDecryption(MessageHeader header, DecryptionMaterials materials, ReadOnlySpan<byte> headerBytes, bool holdUntilVerified)
    {
        _header = header;
        _materials = materials;
        // Stryker disable once Boolean : pinned or not, the same bytes (pinning only keeps the GC from copying plaintext around)
        byte[] contentKey = GC.AllocateArray<byte>(32, pinned: true);
        try
        {
            _gcm = EnvelopeEncryptor.OpenHeaderForStreaming(header, materials, headerBytes[..header.BodyLength], contentKey);
        }
        // Stryker disable all : zeroing what is dropped is not observable without reading freed memory (marked on the block, since Stryker removes a finally block whole)
        finally
        {
            CryptographicOperations.ZeroMemory(contentKey);
        }

        // Stryker restore all

        if (header.Suite.IsSigning)
        {
            _hash = IncrementalHash.CreateHash(header.Suite.SignatureHash);
            _hash.AppendData(headerBytes[..header.TotalLength]);
            _holdAll = holdUntilVerified;
        }

        // Stryker disable once all : the first frame's buffer is only a guess; Next grows it to any frame that does not fit
        _plaintext = header.ContentType == ContentType.Framed ? GC.AllocateUninitializedArray<byte>(header.FrameLength, pinned: true) : [];
    }

    /// <summary>Whether the whole message (frames and any signature) is read and authenticated.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>
    /// Reads the next frame or the footer from <paramref name="available"/>: returns the bytes it used (0 when it
    /// needs more), and in <paramref name="released"/> the plaintext now authenticated (valid until the next call).
    /// </summary>
    /// <exception cref="BadCiphertextException">The frame or signature is malformed or fails authentication.</exception>
    public int Next(ReadOnlySpan<byte> available, out ReadOnlyMemory<byte> released)
    {
        released = default;
        if (_inFooter)
        {
            if (!BodyFormat.TryReadFooter(available, 0, out int signatureOffset, out int signatureLength))
            {
                return 0;
            }

            if (!EnvelopeEncryptor.VerifyHash(_materials.VerificationKey!, _hash!.GetHashAndReset(), available.Slice(signatureOffset, signatureLength)))
            {
                throw BadCiphertextException.AuthenticationFailed();
            }

            IsComplete = true;
            return signatureOffset + signatureLength;
        }

        if (!BodyFormat.TryReadFrame(available, 0, _header, _sequence, out FrameLayout frame))
        {
            return 0;
        }

        // Stryker disable once Equality : growing a buffer that already fits changes allocations, not the plaintext
        if (frame.CiphertextLength > _plaintext.Length)
        {
            // Stryker disable once Statement : zeroing or disposing what is dropped is not observable without reading freed memory
            CryptographicOperations.ZeroMemory(_plaintext);
            // Stryker disable once Boolean : pinned or not, the same bytes (pinning only keeps the GC from copying plaintext around)
            _plaintext = GC.AllocateUninitializedArray<byte>(frame.CiphertextLength, pinned: true); // non-framed: sized by bytes already read
        }

        Memory<byte> plaintext = _plaintext.AsMemory(0, frame.CiphertextLength);
        EnvelopeEncryptor.OpenFrameForStreaming(_gcm, _header, available, frame, plaintext.Span);
        _hash?.AppendData(available[..frame.End]);
        _sequence++;
        bool last = frame.Kind != FrameKind.Regular;
        if (_hash is null)
        {
            IsComplete = last;
            released = plaintext;
        }
        else if (_holdAll || last)
        {
            Hold(plaintext.Span);
            _inFooter = last;
        }
        else
        {
            released = plaintext;
        }

        return frame.End;
    }

    /// <summary>The plaintext held back for the signature, once the message is complete; empty for unsigned messages.</summary>
    // Stryker disable once Conditional : unreachable misuse guard; the decrypting stream asks only once the message is complete
    public ReadOnlyMemory<byte> ReleaseHeld() => IsComplete ? _held.AsMemory(0, _heldLength) : throw new InvalidOperationException("The message is not complete.");

    /// <summary>Where in the message the reader is, for errors.</summary>
    public string Position => _inFooter ? "its signature" : $"frame {_sequence}";

    // Stryker disable once Statement,Block : zeroing or disposing what is dropped is not observable without reading freed memory
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_plaintext);
        CryptographicOperations.ZeroMemory(_held);
        _gcm.Dispose();
        _hash?.Dispose();
    }

    private void Hold(ReadOnlySpan<byte> plaintext)
    {
        // Stryker disable once Equality : growing when the plaintext exactly fits changes allocations, not what is held
        if (_held.Length - _heldLength < plaintext.Length)
        {
            // Stryker disable once Arithmetic : doubling or not changes how often the buffer is copied, never what it holds
            long wanted = Math.Max((long)_heldLength + plaintext.Length, Math.Min(MaxHeldLength, (long)_held.Length * 2));
            if (wanted > MaxHeldLength)
            {
                throw new BadCiphertextException("The signed message's plaintext is larger than one buffer can hold until its signature verifies.");
            }

            // Stryker disable once Boolean : pinned or not, the same bytes (pinning only keeps the GC from copying plaintext around)
            byte[] grown = GC.AllocateUninitializedArray<byte>((int)wanted, pinned: true);
            _held.AsSpan(0, _heldLength).CopyTo(grown);
            // Stryker disable once Statement : zeroing or disposing what is dropped is not observable without reading freed memory
            CryptographicOperations.ZeroMemory(_held);
            _held = grown;
        }

        plaintext.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += plaintext.Length;
    }
}
