using System.Collections.Immutable;

namespace Vaultlib.Parameters;

/// <summary>Request checks several SSM operations share.</summary>
internal static class SsmValidate
{
    public const int MaxTags = 50;

    public static void Tags(IReadOnlyList<Tag>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            throw new TooManyTagsErrorException($"A parameter can have at most {MaxTags} tags.");
        }

        foreach (Tag tag in tags)
        {
            Internal.Validate.Length("Tags.Key", tag?.Key, 1, 128);
            Internal.Validate.Length("Tags.Value", tag!.Value, 0, 256);
            if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationException("Tags.Key", "Tag keys beginning with aws: are reserved.");
            }
        }
    }

    public static Dictionary<string, string>? RequestTags(IReadOnlyList<Tag>? tags) =>
        tags?.Where(t => t is { Key: not null, Value: not null }).DistinctBy(t => t.Key).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);

    /// <summary>The tags a parameter gets: the last value given for each key.</summary>
    public static ImmutableSortedDictionary<string, string> TagSet(IReadOnlyList<Tag>? tags) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (tags ?? []).Select(t => KeyValuePair.Create(t.Key, t.Value)).Reverse().DistinctBy(p => p.Key));

    public static void Names(IReadOnlyList<string>? names, string member = "Names")
    {
        if (names is null || names.Count is 0 or > 10)
        {
            throw new ValidationException(member, $"{member} must list 1-10 names.");
        }
    }

    public static int MaxResults(int? value, int max, int fallback)
    {
        Internal.Validate.Range("MaxResults", value, 1, max);
        return value ?? fallback;
    }

    /// <summary>The version a selector names (<c>3</c> or a label), or the latest.</summary>
    public static ParameterVersionRecord Select(ParameterRecord record, string? selector, string requested) =>
        selector is null ? record.Latest
        : long.TryParse(selector, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long number)
            ? record.FindVersion(number) ?? throw new ParameterVersionNotFoundException($"Version {number} of the parameter {record.Name} does not exist ({requested}).")
            : record.FindLabel(selector) ?? throw new ParameterVersionNotFoundException($"No version of the parameter {record.Name} has the label {selector} ({requested}).");

    /// <summary>1-10 labels in a request (each checked against AWS's rules by the operation).</summary>
    public static void Labels(IReadOnlyList<string>? labels)
    {
        if (labels is null || labels.Count is 0 or > 10)
        {
            throw new ValidationException("Labels", "Labels must list 1-10 labels.");
        }
    }
}
