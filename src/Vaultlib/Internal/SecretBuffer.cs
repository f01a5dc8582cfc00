using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vaultlib.Internal;

/// <summary>
/// Holds secret bytes (key material, data keys, root keys) outside the managed heap, so the GC
/// never copies them, and zeroes them when the last user lets go. Reference counting through
/// <see cref="SafeHandle"/> makes disposal safe while another thread is still using the bytes:
/// the memory is zeroed and freed only after the last <see cref="Lease"/> ends.
/// </summary>
internal sealed unsafe class SecretBuffer : SafeHandle
{
    private readonly int _length;

    private SecretBuffer(int length)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _length = length;
        // Allocate at least one byte so an empty secret still has a valid handle.
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)Math.Max(length, 1)));
    }

    /// <summary>The number of secret bytes.</summary>
    public int Length => _length;

    /// <inheritdoc/>
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Copies <paramref name="source"/> into a new buffer. The caller still owns and zeroes the source.</summary>
    public static SecretBuffer Copy(ReadOnlySpan<byte> source)
    {
        var buffer = new SecretBuffer(source.Length);
        source.CopyTo(new Span<byte>((void*)buffer.handle, source.Length));
        return buffer;
    }

    /// <summary>A new buffer of <paramref name="length"/> bytes from the system CSPRNG.</summary>
    public static SecretBuffer Random(int length)
    {
        var buffer = new SecretBuffer(length);
        RandomNumberGenerator.Fill(new Span<byte>((void*)buffer.handle, length));
        return buffer;
    }

    /// <summary>
    /// Borrows the bytes until the returned lease is disposed. Throws <see cref="ObjectDisposedException"/>
    /// when the buffer has already been released.
    /// </summary>
    public SecretLease Lease()
    {
        bool added = false;
        DangerousAddRef(ref added);
        return new SecretLease(this, (byte*)handle, _length);
    }

    internal void EndLease() => DangerousRelease();

    /// <summary>
    /// Takes a long-lived reference (for a second owner such as a cache hit); false when the
    /// buffer is already released. Pair with <see cref="ReleaseReference"/>.
    /// </summary>
    public bool TryAddReference()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return added;
    }

    /// <summary>Ends a reference taken with <see cref="TryAddReference"/>.</summary>
    public void ReleaseReference() => DangerousRelease();

    /// <summary>Type name and length only: never the bytes.</summary>
    public override string ToString() => $"SecretBuffer[{_length}]";

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        CryptographicOperations.ZeroMemory(new Span<byte>((void*)handle, _length));
        NativeMemory.Free((void*)handle);
        return true;
    }
}

/// <summary>A borrowed view of a <see cref="SecretBuffer"/>; dispose it to return the loan.</summary>
internal readonly unsafe ref struct SecretLease
{
    private readonly SecretBuffer _owner;
    private readonly byte* _pointer;
    private readonly int _length;

    internal SecretLease(SecretBuffer owner, byte* pointer, int length)
    {
        _owner = owner;
        _pointer = pointer;
        _length = length;
    }

    /// <summary>The secret bytes; valid only until the lease is disposed.</summary>
    public ReadOnlySpan<byte> Span => new(_pointer, _length);

    /// <summary>Ends the loan.</summary>
    public void Dispose() => _owner.EndLease();
}
