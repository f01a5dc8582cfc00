using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Vaultlib.Internal;

/// <summary>UTF-8 that throws on invalid bytes and lone surrogates, for every format Vaultlib reads or writes.</summary>
internal static class StrictUtf8
{
    public static UTF8Encoding Encoding { get; } = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/>; false when they are not valid UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? value)
    {
        try
        {
            value = Encoding.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            value = null;
            return false;
        }
    }
}
