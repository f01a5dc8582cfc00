using System.Buffers;

namespace Vaultlib.Envelope;

/// <summary>
/// A write-only stream that encrypts what is written to it into one AWS Encryption SDK message on the stream it
/// wraps (the AWS Encryption SDK for Java's <c>CryptoOutputStream</c>), frame by frame, holding one frame of
/// plaintext. The message is complete once <see cref="FlushFinalBlock"/> (or <see cref="FlushFinalBlockAsync"/>) runs;
/// disposing completes it too, as <see cref="System.Security.Cryptography.CryptoStream"/> does, unless a write failed.
/// Create one with <see cref="EnvelopeEncryptor.CreateEncryptingStream"/> or <see cref="EnvelopeEncryptor.CreateEncryptingStreamAsync"/>.
/// </summary>
public sealed class EnvelopeEncryptingStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly EncryptionMaterials _materials;
    private readonly MessageEncryption _message;
    private readonly long? _declaredLength;
    private readonly ArrayBufferWriter<byte> _pending = new();
    private bool _headerWritten;
    private bool _faulted;
    private bool _disposed;

    internal EnvelopeEncryptingStream(Stream inner, EncryptionMaterials materials, int frameLength, long? declaredLength, bool leaveOpen, Action<Span<byte>> random)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _materials = materials;
        _declaredLength = declaredLength;
        _message = new MessageEncryption(materials, frameLength, random);
    }

    /// <summary>The encryption context the message carries (with <c>aws-crypto-public-key</c> for signing suites).</summary>
    public IReadOnlyDictionary<string, string> EncryptionContext => _materials.EncryptionContext;

    /// <summary>The suite.</summary>
    public AlgorithmSuite AlgorithmSuiteId => _materials.Suite;

    /// <summary>The message being written, for tests that start it at a late frame number.</summary>
    internal MessageEncryption Message => _message;

    /// <summary>The plaintext bytes written so far.</summary>
    public long PlaintextLength => _message.PlaintextLength;

    /// <summary>Whether the message is complete.</summary>
    public bool HasFlushedFinalBlock => _message.IsFinished;

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => !_disposed && !_message.IsFinished;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Seal(buffer);
        Drain();
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Seal(buffer.Span);
        return DrainAsync(cancellationToken);
    }

    /// <summary>Seals the final frame and the signature, and writes them: the message is complete.</summary>
    /// <exception cref="ValidationException">Fewer bytes were written than the declared <see cref="EncryptStreamInput.PlaintextLength"/>.</exception>
    public void FlushFinalBlock()
    {
        Complete();
        Drain();
        _inner.Flush();
    }

    /// <summary>Seals the final frame and the signature, and writes them: the message is complete.</summary>
    /// <exception cref="ValidationException">Fewer bytes were written than the declared <see cref="EncryptStreamInput.PlaintextLength"/>.</exception>
    public async ValueTask FlushFinalBlockAsync(CancellationToken cancellationToken = default)
    {
        Complete();
        await DrainAsync(cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes the wrapped stream; the message stays open.</summary>
    public override void Flush() => _inner.Flush();

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An encrypting stream is write-only.");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>What the stream encrypted.</summary>
    public EncryptStreamOutput ToOutput() => new() { EncryptionContext = EncryptionContext, AlgorithmSuiteId = AlgorithmSuiteId, PlaintextLength = PlaintextLength };

    /// <summary>The suite and length only.</summary>
    public override string ToString() => $"EnvelopeEncryptingStream({AlgorithmSuiteId}, {PlaintextLength} bytes{(HasFlushedFinalBlock ? ", complete" : "")})";

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            base.Dispose(disposing);
            return;
        }

        try
        {
            if (!_message.IsFinished && !_faulted)
            {
                FlushFinalBlock();
            }
        }
        finally
        {
            Release();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (!_message.IsFinished && !_faulted)
            {
                await FlushFinalBlockAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            Release();
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync().ConfigureAwait(false);
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Release()
    {
        _disposed = true;
        _message.Dispose();
        _materials.Dispose();
    }

    private void Seal(ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_message.IsFinished)
        {
            throw new InvalidOperationException("The message is complete; nothing more can be written to it.");
        }

        if (_declaredLength is { } declared && _message.PlaintextLength + plaintext.Length > declared)
        {
            _faulted = true;
            throw new ValidationException(nameof(EncryptStreamInput.PlaintextLength), $"More than the {declared} bytes declared were written; the message is incomplete and must be discarded.");
        }

        WriteHeaderOnce();
        try
        {
            _message.Write(plaintext, _pending);
        }
        catch
        {
            _faulted = true;
            throw;
        }
    }

    private void Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_message.IsFinished)
        {
            return;
        }

        if (_declaredLength is { } declared && _message.PlaintextLength != declared)
        {
            _faulted = true;
            throw new ValidationException(nameof(EncryptStreamInput.PlaintextLength), $"The stream held {_message.PlaintextLength} bytes, not the {declared} declared; the message is incomplete and must be discarded.");
        }

        WriteHeaderOnce();
        _message.Finish(_pending);
    }

    private void WriteHeaderOnce()
    {
        if (!_headerWritten)
        {
            _pending.Write(_message.Header);
            _headerWritten = true;
        }
    }

    private void Drain()
    {
        try
        {
            _inner.Write(_pending.WrittenSpan);
        }
        catch
        {
            _faulted = true;
            throw;
        }

        _pending.ResetWrittenCount();
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _inner.WriteAsync(_pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _faulted = true;
            throw;
        }

        _pending.ResetWrittenCount();
    }
}
