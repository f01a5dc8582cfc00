using Vaultlib.Pipeline;

namespace Vaultlib.Certificates;

/// <summary>
/// Tags of a CA or of an ACM certificate (both services' <c>Tag</c> has the same shape and limits), checked against
/// AWS's limits (1-50 tags; keys 1-128, values 0-256 characters; no <c>aws:</c> keys), and as request facts for
/// <c>aws:RequestTag</c>. Each service raises its own exceptions: Private CA's by default, or those the caller gives.
/// </summary>
internal static class CaTags
{
    public static void Validate<T>(IReadOnlyList<T>? tags, int min, Func<string, Exception>? countError = null, Func<string, Exception>? tagError = null)
        where T : IKeyValueTag
    {
        countError ??= static message => new InvalidArgsException("Tags", message);
        tagError ??= static message => new InvalidTagException(message);
        if (tags is null)
        {
            return;
        }

        if (tags.Count < min || tags.Count > 50)
        {
            throw countError($"A request has {min}-50 tags.");
        }

        foreach (T tag in tags)
        {
            if (string.IsNullOrEmpty(tag.Key) || tag.Key.Length > 128 || tag.Value is { Length: > 256 })
            {
                throw tagError("A tag key must be 1-128 characters and its value at most 256.");
            }

            if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw tagError($"The tag key {tag.Key} uses the reserved prefix aws:.");
            }
        }

        if (tags.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw tagError("A tag key appears more than once.");
        }
    }

    public static RequestFacts Facts<T>(IReadOnlyList<T>? tags)
        where T : IKeyValueTag =>
        tags is null ? RequestFacts.None : new RequestFacts
        {
            RequestTags = tags.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value ?? string.Empty, StringComparer.Ordinal),
        };

    /// <summary><paramref name="current"/> with <paramref name="added"/> added (a key already there takes the new value), by key.</summary>
    public static IReadOnlyList<T> Merge<T>(IReadOnlyList<T> current, IReadOnlyList<T> added)
        where T : IKeyValueTag
    {
        var merged = current.ToDictionary(t => t.Key, StringComparer.Ordinal);
        foreach (T tag in added)
        {
            merged[tag.Key] = tag;
        }

        return [.. merged.Values.OrderBy(t => t.Key, StringComparer.Ordinal)];
    }

    /// <summary><paramref name="current"/> without <paramref name="removed"/>: one given without a value whatever its value, one with a value only if it has that value.</summary>
    public static IReadOnlyList<T> Remove<T>(IReadOnlyList<T> current, IReadOnlyList<T> removed)
        where T : IKeyValueTag =>
        [.. current.Where(t => !removed.Any(u => u.Key == t.Key && (u.Value is null || u.Value == t.Value)))];
}

/// <summary>A tag of either certificate service (both AWS shapes are a key and an optional value).</summary>
internal interface IKeyValueTag
{
    string Key { get; }

    string? Value { get; }
}
