using Vaultlib.Pipeline;

namespace Vaultlib.Certificates;

/// <summary>A CA's tags, checked against AWS's limits (1-50 tags; keys 1-128, values 0-256 characters; no <c>aws:</c> keys), and as request facts for <c>aws:RequestTag</c>.</summary>
internal static class CaTags
{
    public static void Validate(IReadOnlyList<Tag>? tags, int min)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count < min || tags.Count > 50)
        {
            throw new InvalidArgsException("Tags", $"A request has {min}-50 tags.");
        }

        foreach (Tag tag in tags)
        {
            if (string.IsNullOrEmpty(tag.Key) || tag.Key.Length > 128 || tag.Value is { Length: > 256 })
            {
                throw new InvalidTagException("A tag key must be 1-128 characters and its value at most 256.");
            }

            if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidTagException($"The tag key {tag.Key} uses the reserved prefix aws:.");
            }
        }

        if (tags.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw new InvalidTagException("A tag key appears more than once.");
        }
    }

    public static RequestFacts Facts(IReadOnlyList<Tag>? tags) =>
        tags is null ? RequestFacts.None : new RequestFacts
        {
            RequestTags = tags.GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value ?? string.Empty, StringComparer.Ordinal),
        };
}
