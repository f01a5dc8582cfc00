using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Vaultlib.Internal;

/// <summary>
/// Opaque paging markers: the sort key of the last item returned, tagged and base64url-encoded.
/// A page starts after the marker's key, so items added or removed between pages never cause a
/// skip or a repeat of the items that remain.
/// </summary>
internal static class PageMarker
{
    private const string Prefix = "vlm1:";

    public static string Create(string lastKey)
    {
        // Encoded from one buffer (on the stack for the usual key), so a page's token costs one string.
        int most = Prefix.Length + Encoding.UTF8.GetMaxByteCount(lastKey.Length);
        byte[]? rented = most > 512 ? ArrayPool<byte>.Shared.Rent(most) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        int length = Encoding.UTF8.GetBytes(Prefix, buffer);
        length += Encoding.UTF8.GetBytes(lastKey, buffer[length..]);
        string marker = Base64Url.EncodeToString(buffer[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return marker;
    }

    /// <summary>The sort key inside <paramref name="marker"/>, or null when it is not a marker this library issued.</summary>
    public static string? TryRead(string marker)
    {
        if (marker.Length is 0 or > 4096)
        {
            return null;
        }

        try
        {
            string text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(marker));
            return text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// One page of <paramref name="items"/> (sorted by <paramref name="keyOf"/>, ordinal) after
    /// <paramref name="marker"/>; <paramref name="invalidMarker"/> makes the error for a bad marker.
    /// </summary>
    public static (IReadOnlyList<T> Page, string? NextMarker) Page<T>(
        IEnumerable<T> items, Func<T, string> keyOf, string? marker, int limit, Func<Exception> invalidMarker)
    {
        string? after = null;
        if (marker is not null)
        {
            after = TryRead(marker) ?? throw invalidMarker();
        }

        var page = new List<T>(Math.Min(limit, 64));
        bool more = false;
        foreach (T item in items.OrderBy(keyOf, StringComparer.Ordinal))
        {
            if (after is not null && string.CompareOrdinal(keyOf(item), after) <= 0)
            {
                continue;
            }

            if (page.Count == limit)
            {
                more = true;
                break;
            }

            page.Add(item);
        }

        return (page, more ? Create(keyOf(page[^1])) : null);
    }
}
