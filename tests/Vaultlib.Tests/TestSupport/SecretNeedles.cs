using System.Text;

namespace Vaultlib.Tests.TestSupport;

/// <summary>
/// Secret byte strings to look for, in every encoding a leak could take: raw, base64, base64url,
/// and hex in both cases. A needle is long enough (at least 12 bytes) that a chance match is negligible.
/// </summary>
public sealed class SecretNeedles
{
    private readonly List<(string Name, byte[] Bytes)> _needles = [];

    public void Add(string name, ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 12)
        {
            throw new ArgumentException("Needles shorter than 12 bytes could match by chance.", nameof(secret));
        }

        byte[] raw = secret.ToArray();
        _needles.Add((name + " (raw)", raw));
        _needles.Add((name + " (base64)", Encoding.ASCII.GetBytes(Convert.ToBase64String(raw))));
        _needles.Add((name + " (base64url)", Encoding.ASCII.GetBytes(Convert.ToBase64String(raw).TrimEnd('=').Replace('+', '-').Replace('/', '_'))));
        _needles.Add((name + " (hex)", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(raw))));
        _needles.Add((name + " (HEX)", Encoding.ASCII.GetBytes(Convert.ToHexString(raw))));
        // A 12-byte window catches a partial leak (a truncated dump, a base64 line split).
        _needles.Add((name + " (raw, first 12)", raw[..12]));
    }

    public int Count => _needles.Count;

    /// <summary>The names of the needles found in <paramref name="haystack"/>.</summary>
    public IReadOnlyList<string> FoundIn(ReadOnlySpan<byte> haystack)
    {
        var found = new List<string>();
        foreach ((string name, byte[] bytes) in _needles)
        {
            if (haystack.IndexOf(bytes) >= 0)
            {
                found.Add(name);
            }
        }

        return found;
    }

    /// <summary>Text is searched as UTF-8 and as UTF-16 bytes.</summary>
    public IReadOnlyList<string> FoundIn(string text) =>
        FoundIn(Encoding.UTF8.GetBytes(text)).Concat(FoundIn(Encoding.Unicode.GetBytes(text))).Distinct().ToList();
}
