using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>Secrets Manager's tag rules: at most 50 on a secret; keys of 1-128 characters, values of 0-256; <c>aws:</c> reserved.</summary>
internal static class SecretTags
{
    public const int MaxTags = 50;

    public static void Validate(IReadOnlyList<Tag>? tags)
    {
        if (tags is null)
        {
            return;
        }

        if (tags.Count > MaxTags)
        {
            throw new ValidationException("Tags", $"A secret can have at most {MaxTags} tags.");
        }

        foreach (Tag tag in tags)
        {
            ValidateKey(tag.Key, "Tags.member.Key");
            Internal.Validate.Length("Tags.member.Value", tag.Value, 0, 256);
        }
    }

    public static void ValidateKey(string? key, string member)
    {
        Internal.Validate.Length(member, key, 1, 128);
        if (key!.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidParameterException(member, "Tag keys beginning with aws: are reserved for AWS use.");
        }
    }

    /// <summary>The tags with <paramref name="added"/> set (a key given twice keeps its last value); more than 50 is <see cref="LimitExceededException"/>.</summary>
    public static IReadOnlyList<Tag> Merge(IReadOnlyList<Tag> current, IReadOnlyList<Tag>? added)
    {
        var merged = new List<Tag>(current);
        foreach (Tag tag in added ?? [])
        {
            int at = merged.FindIndex(t => t.Key == tag.Key);
            if (at >= 0)
            {
                merged[at] = tag;
            }
            else
            {
                merged.Add(tag);
            }
        }

        return merged.Count > MaxTags ? throw new LimitExceededException($"A secret can have at most {MaxTags} tags.") : merged;
    }

    /// <summary>The request facts of tags given in a request (<c>aws:RequestTag</c>, <c>aws:TagKeys</c>).</summary>
    public static RequestFacts Facts(IReadOnlyList<Tag>? tags)
    {
        if (tags is null or { Count: 0 })
        {
            return RequestFacts.None;
        }

        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Tag tag in tags)
        {
            byKey[tag.Key] = tag.Value;
        }

        return new RequestFacts { RequestTags = byKey };
    }
}
