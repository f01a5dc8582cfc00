using Vaultlib.Envelope.Format;
using Vaultlib.Internal;

namespace Vaultlib.Envelope;

/// <summary>
/// A read-only stream of the plaintext of the AWS Encryption SDK message read from the stream it wraps (the AWS
/// Encryption SDK for Java's <c>CryptoInputStream</c>). It returns plaintext only once it is authenticated: each frame
/// after its tag verifies, and for signed messages as <see cref="DecryptStreamInput.SignedMessagePolicy"/> says. A
/// read that finds the message malformed, truncated, tampered or followed by more bytes throws
/// <see cref="BadCiphertextException"/>; what was read before then is authentic but incomplete, and must be discarded.
/// The header is read, and the data key decrypted, on the first read (or <see cref="ReadHeader"/>).
/// Create one with <see cref="EnvelopeEncryptor.CreateDecryptingStream"/>.
/// </summary>
public sealed class EnvelopeDecryptingStream : Stream
{
    private readonly EnvelopeEncryptor _encryptor;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly DecryptStreamInput _input;
    private readonly ICryptoMaterialsManager _cmm;
    private readonly StreamBuffer _reader;
    private MessageHeader? _header;
    private DecryptionMaterials? _materials;
    private MessageDecryption? _message;
    private ReadOnlyMemory<byte> _ready;
    private bool _ended;
    private bool _failed;
    private bool _disposed;

    internal EnvelopeDecryptingStream(EnvelopeEncryptor encryptor, Stream inner, DecryptStreamInput input, ICryptoMaterialsManager cmm, bool leaveOpen)
    {
        _encryptor = encryptor;
        _inner = inner;
        _leaveOpen = leaveOpen;
        _input = input;
        _cmm = cmm;
        _reader = new StreamBuffer(inner);
    }

    /// <summary>The most plaintext a signed message may hold until its signature verifies; lowered only by tests.</summary>
    internal int MaxHeldPlaintextForTests { get; set; } = Array.MaxLength;

    /// <summary>The message's header, once read (null before the first read).</summary>
    public MessageHeaderInfo? Header { get; private set; }

    /// <summary>The full encryption context, including required pairs the caller supplied; null before the first read.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext => _materials?.EncryptionContext;

    /// <summary>The encrypted data key the keyring opened; null before the first read.</summary>
    public EncryptedDataKey? DecryptedDataKey { get; private set; }

    /// <summary>The plaintext bytes returned so far.</summary>
    public long PlaintextLength { get; private set; }

    /// <summary>The read buffer's size (memory stays proportional to the frame length, whatever the message length).</summary>
    internal int BufferCapacity => _reader.Capacity;

    /// <summary>Whether the whole message is read and authenticated.</summary>
    public bool IsComplete => _ended;

    /// <inheritdoc/>
    public override bool CanRead => !_disposed;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Reads the header and decrypts the data key, if not yet done; returns the header (not yet authenticated by the body).</summary>
    /// <exception cref="BadCiphertextException">The header is malformed or truncated, or signed when signed messages are refused.</exception>
    /// <exception cref="CannotUnwrapDataKeyException">No keyring could decrypt a data key.</exception>
    public MessageHeaderInfo ReadHeader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_message is null)
        {
            while (!TryParseHeader())
            {
                if (!_reader.Fill())
                {
                    throw TruncatedHeader();
                }
            }

            Start(Blocking.Wait(_cmm.DecryptMaterialsAsync(_encryptor.DecryptMaterialsRequest(_header!, _input.EncryptionContext))));
        }

        return Header!;
    }

    /// <summary>The asynchronous twin of <see cref="ReadHeader"/>.</summary>
    public async ValueTask<MessageHeaderInfo> ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_message is null)
        {
            while (!TryParseHeader())
            {
                if (!await _reader.FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw TruncatedHeader();
                }
            }

            Start(await _cmm.DecryptMaterialsAsync(_encryptor.DecryptMaterialsRequest(_header!, _input.EncryptionContext), cancellationToken).ConfigureAwait(false));
        }

        return Header!;
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    /// <exception cref="BadCiphertextException">The message is malformed, truncated, tampered, or followed by more bytes.</exception>
    /// <exception cref="InvalidOperationException">An earlier read failed: the message is bad, and what was read must be discarded.</exception>
    public override int Read(Span<byte> buffer)
    {
        ThrowIfFailed();
        try
        {
            ReadHeader();
            while (_ready.IsEmpty && !_ended)
            {
                if (!Step() && !_reader.Fill())
                {
                    throw Truncated();
                }

                if (_message!.IsComplete && _ready.IsEmpty)
                {
                    End(_reader.Available.IsEmpty && !_reader.Fill());
                }
            }

            return Take(buffer);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = true;
            throw;
        }
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    /// <exception cref="BadCiphertextException">The message is malformed, truncated, tampered, or followed by more bytes.</exception>
    /// <exception cref="InvalidOperationException">An earlier read failed: the message is bad, and what was read must be discarded.</exception>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        try
        {
            await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            while (_ready.IsEmpty && !_ended)
            {
                if (!Step() && !await _reader.FillAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw Truncated();
                }

                if (_message!.IsComplete && _ready.IsEmpty)
                {
                    End(_reader.Available.IsEmpty && !await _reader.FillAsync(cancellationToken).ConfigureAwait(false));
                }
            }

            return Take(buffer.Span);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>What the stream decrypted so far (all of it once <see cref="IsComplete"/>).</summary>
    /// <exception cref="InvalidOperationException">The header has not been read.</exception>
    public DecryptStreamOutput ToOutput() => new()
    {
        EncryptionContext = EncryptionContext ?? throw new InvalidOperationException("The header has not been read."),
        AlgorithmSuiteId = _header!.Suite,
        PlaintextLength = PlaintextLength,
        Header = Header,
        DecryptedDataKey = DecryptedDataKey,
    };

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A decrypting stream is read-only.");

    /// <summary>The suite and length only.</summary>
    public override string ToString() => $"EnvelopeDecryptingStream({_header?.Suite.ToString() ?? "header not read"}, {PlaintextLength} bytes{(_ended ? ", complete" : "")})";

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _ready = default;
            _message?.Dispose();
            _materials?.Dispose();
            _reader.Clear();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed)
        {
            throw new InvalidOperationException("An earlier read of this message failed; the message is bad, and what was read from it must be discarded.");
        }
    }

    private bool TryParseHeader()
    {
        if (!MessageHeader.TryParse(_reader.Available, _encryptor.Options.MaxEncryptedDataKeys, out _header))
        {
            return false;
        }

        if (_header!.Suite.IsSigning && _input.SignedMessagePolicy == SignedMessagePolicy.RejectSignedMessages)
        {
            throw new BadCiphertextException($"The message is signed ({_header.Suite}), and this stream decrypts unsigned messages only.");
        }

        return true;
    }

    private void Start(DecryptionMaterials materials)
    {
        _materials = EnvelopeEncryptor.CheckDecryptionMaterials(materials, _header!);
        _message = new MessageDecryption(_header!, _materials, _reader.Available, _input.SignedMessagePolicy == SignedMessagePolicy.HoldUntilSignatureVerified) { MaxHeldLength = MaxHeldPlaintextForTests };
        _reader.Consume(_header!.TotalLength);
        Header = MessageHeaderInfo.From(_header);
        DecryptedDataKey = _materials.DecryptedDataKey;
    }

    /// <summary>Decodes the next frame or footer from what is buffered; false when more bytes are needed.</summary>
    private bool Step()
    {
        if (_message!.IsComplete)
        {
            return true;
        }

        int used = _message.Next(_reader.Available, out _ready);
        _reader.Consume(used);
        return used > 0;
    }

    private void End(bool streamEnded)
    {
        if (!streamEnded)
        {
            throw new BadCiphertextException("The message is followed by more bytes.");
        }

        _ready = _message!.ReleaseHeld();
        _ended = true;
    }

    private int Take(Span<byte> buffer)
    {
        int count = Math.Min(buffer.Length, _ready.Length);
        _ready.Span[..count].CopyTo(buffer);
        _ready = _ready[count..];
        PlaintextLength += count;
        return count;
    }

    private BadCiphertextException Truncated() => new($"The message is truncated: the stream ends inside {_message!.Position}.");

    private BadCiphertextException TruncatedHeader() => new($"The message is truncated: the stream ends ({_reader.Available.Length} bytes) inside its header.");
}
