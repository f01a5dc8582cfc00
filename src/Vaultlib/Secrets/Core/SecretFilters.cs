using System.Globalization;

namespace Vaultlib.Secrets;

/// <summary>
/// ListSecrets' and BatchGetSecretValue's filters, as AWS documents them: <c>name</c>, <c>tag-key</c>,
/// <c>tag-value</c>, <c>primary-region</c> and <c>owning-service</c> match a prefix, case-sensitive;
/// <c>description</c> a prefix, not case-sensitive; <c>all</c> breaks the value into words (at any change between
/// lower and upper case, letters and digits, or at punctuation) and matches when each word begins a word of the
/// name, the description or a tag, not case-sensitive. A value after <c>!</c> excludes what it matches. A secret
/// matches a filter when it matches any of its plain values and none of its negated ones, and matches the request
/// when it matches every filter.
/// </summary>
internal static class SecretFilters
{
    private static readonly string[] s_keys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

    public static void Validate(IReadOnlyList<Filter>? filters)
    {
        if (filters is null)
        {
            return;
        }

        if (filters.Count > 10)
        {
            throw new ValidationException("Filters", "At most 10 filters.");
        }

        foreach (Filter filter in filters)
        {
            if (!s_keys.Contains(filter.Key, StringComparer.Ordinal))
            {
                throw new ValidationException("Filters.member.Key", $"The filter key {filter.Key} is not one of {string.Join(", ", s_keys)}.");
            }

            if (filter.Values is null or { Count: < 1 or > 10 })
            {
                throw new ValidationException("Filters.member.Values", "A filter has 1-10 values.");
            }

            foreach (string value in filter.Values)
            {
                Internal.Validate.Length("Filters.member.Values", value, 0, 512);
                if (value.Any(c => !char.IsAsciiLetterOrDigit(c) && " :_@/+=.-!".IndexOf(c, StringComparison.Ordinal) < 0))
                {
                    throw new ValidationException("Filters.member.Values", "Filter values use letters, digits, spaces and :_@/+=.-! only.");
                }
            }
        }
    }

    public static bool Matches(SecretRecord secret, IReadOnlyList<Filter>? filters) =>
        filters is null || filters.All(f => MatchesFilter(secret, f));

    /// <summary>The secrets in the order a listing pages them: by creation date, then name.</summary>
    public static IEnumerable<SecretRecord> Ordered(IEnumerable<SecretRecord> secrets, string? sortOrder) =>
        secrets.OrderBy(s => OrderKey(s, sortOrder), StringComparer.Ordinal);

    /// <summary>The key a page token names: the creation time (inverted for <c>desc</c>), then the name.</summary>
    public static string OrderKey(SecretRecord secret, string? sortOrder)
    {
        long ticks = secret.CreatedDate.UtcTicks;
        return (sortOrder == "asc" ? ticks : long.MaxValue - ticks).ToString("D19", CultureInfo.InvariantCulture) + "|" + secret.Name;
    }

    private static bool MatchesFilter(SecretRecord secret, Filter filter)
    {
        bool anyPlain = false, plainMatched = false;
        foreach (string value in filter.Values)
        {
            bool negated = value.StartsWith('!');
            bool matched = MatchesValue(secret, filter.Key, negated ? value[1..] : value);
            if (negated && matched)
            {
                return false;
            }

            if (!negated)
            {
                anyPlain = true;
                plainMatched |= matched;
            }
        }

        return !anyPlain || plainMatched;
    }

    private static bool MatchesValue(SecretRecord s, string key, string value) => key switch
    {
        "name" => s.Name.StartsWith(value, StringComparison.Ordinal),
        "description" => s.Description?.StartsWith(value, StringComparison.OrdinalIgnoreCase) == true,
        "tag-key" => s.Tags.Any(t => t.Key.StartsWith(value, StringComparison.Ordinal)),
        "tag-value" => s.Tags.Any(t => t.Value.StartsWith(value, StringComparison.Ordinal)),
        "primary-region" => s.PrimaryRegion.StartsWith(value, StringComparison.Ordinal),
        "owning-service" => false, // no secret here is managed by another service
        _ => Words(value).All(word => Attributes(s).SelectMany(Words).Any(w => w.StartsWith(word, StringComparison.OrdinalIgnoreCase))),
    };

    private static IEnumerable<string> Attributes(SecretRecord s) =>
        new[] { s.Name, s.Description ?? string.Empty }.Concat(s.Tags.SelectMany(t => new[] { t.Key, t.Value }));

    /// <summary>The words of a text: runs of letters or digits, split at a change of case (lower to upper) or between letters and digits.</summary>
    public static IEnumerable<string> Words(string text)
    {
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool boundary = i == text.Length || !char.IsAsciiLetterOrDigit(text[i])
                || (start >= 0 && (char.IsAsciiLetterLower(text[i - 1]) && char.IsAsciiLetterUpper(text[i]) || char.IsAsciiDigit(text[i - 1]) != char.IsAsciiDigit(text[i])));
            if (boundary && start >= 0)
            {
                yield return text[start..i];
                start = -1;
            }

            if (i < text.Length && char.IsAsciiLetterOrDigit(text[i]) && start < 0)
            {
                start = i;
            }
        }
    }
}
