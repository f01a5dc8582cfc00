using System.Buffers;
using System.Security.Cryptography;

namespace Vaultlib.Envelope;

/// <summary>
/// A buffer from the shared array pool that a one-shot encryption or decryption writes into and the caller owns: pass
/// it to <see cref="EnvelopeEncryptor.EncryptAsync(EncryptInput, IBufferWriter{byte}, CancellationToken)"/> or
/// <see cref="EnvelopeEncryptor.DecryptAsync(DecryptInput, IBufferWriter{byte}, CancellationToken)"/>, read
/// <see cref="WrittenMemory"/>, and dispose it. Large messages then reuse memory instead of allocating a new array
/// on the large-object heap each time. Disposing zeroes what was written (a plaintext never lingers in the pool) and
/// returns the array; the memory must not be used afterwards. Not thread-safe.
/// </summary>
public sealed class EnvelopeBuffer : IBufferWriter<byte>, IMemoryOwner<byte>
{
    private byte[]? _array;
    private int _written;
    private bool _disposed;

    /// <summary>The bytes written so far.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    public ReadOnlyMemory<byte> WrittenMemory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(0, _written);
        }
    }

    /// <summary>The bytes written so far, writable (<see cref="IMemoryOwner{T}"/>).</summary>
    Memory<byte> IMemoryOwner<byte>.Memory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _array is null ? Memory<byte>.Empty : _array.AsMemory(0, _written);
        }
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_array is null || count > _array.Length - _written)
        {
            throw new InvalidOperationException("Cannot advance past the end of the buffer.");
        }

        _written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_written);
    }

    /// <summary>Zeroes what was written and returns the array to the pool.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Release();
    }

    private void Ensure(int sizeHint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        int needed = Math.Max(sizeHint, 1);
        if (_array is not null && _array.Length - _written >= needed)
        {
            return;
        }

        long size = Math.Max((long)_written + needed, _array is null ? needed : 2L * _array.Length);
        byte[] grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
        if (grown.Length - _written < needed)
        {
            ArrayPool<byte>.Shared.Return(grown);
            throw new InvalidOperationException("The buffer cannot grow past the largest array.");
        }

        _array?.AsSpan(0, _written).CopyTo(grown);
        Release(); // zeroes and returns the old array; _written still counts the bytes now in the new one
        _array = grown;
    }

    private void Release()
    {
        if (_array is not null)
        {
            CryptographicOperations.ZeroMemory(_array.AsSpan(0, _written));
            ArrayPool<byte>.Shared.Return(_array);
            _array = null;
        }
    }

    /// <summary>Sizes only.</summary>
    public override string ToString() => _disposed ? "EnvelopeBuffer(disposed)" : $"EnvelopeBuffer({_written} bytes written)";
}
