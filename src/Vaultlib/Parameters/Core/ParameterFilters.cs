namespace Vaultlib.Parameters;

/// <summary>
/// SSM's <c>ParameterStringFilter</c>s: which keys each operation takes, which options each key
/// takes, and whether a parameter matches (every filter must match; any of a filter's values may).
/// </summary>
internal static class ParameterFilters
{
    /// <summary>The keys GetParametersByPath takes: <c>tag:…</c>, DataType, Name, Path and Tier are not valid there (AWS's API reference).</summary>
    public static readonly string[] ByPathKeys = ["Type", "KeyId", "Label"];

    /// <summary>The keys DescribeParameters takes besides <c>tag:…</c>: every key but Label (AWS's API reference).</summary>
    public static readonly string[] DescribeKeys = ["Name", "Path", "Type", "KeyId", "Tier", "DataType"];

    /// <summary>
    /// Checks <paramref name="filters"/> against the <paramref name="keys"/> an operation takes (and <c>tag:…</c> keys
    /// when <paramref name="tags"/>): Path takes OneLevel or Recursive, Name Equals, BeginsWith or Contains, Label Equals
    /// only, every other key Equals or BeginsWith; 1-50 values of 1-1024 characters (a tag filter may have none).
    /// </summary>
    public static void Validate(IReadOnlyList<ParameterStringFilter>? filters, string[] keys, bool tags)
    {
        foreach (ParameterStringFilter filter in filters ?? [])
        {
            bool tag = tags && filter.Key is { Length: > 4 } && filter.Key.StartsWith("tag:", StringComparison.Ordinal);
            if (!tag && !keys.Contains(filter.Key, StringComparer.Ordinal))
            {
                throw new InvalidFilterKeyException($"The filter key {filter.Key} is not valid here; use {string.Join(", ", keys)}{(tags ? " or tag:<key>" : string.Empty)}.");
            }

            string option = OptionOf(filter);
            bool valid = filter.Key switch
            {
                "Path" => option == "OneLevel" || option == "Recursive",
                "Name" => option == "Equals" || option == "BeginsWith" || option == "Contains",
                "Label" => option == "Equals",
                _ => option == "Equals" || option == "BeginsWith",
            };
            if (!valid)
            {
                throw new InvalidFilterOptionException($"The option {option} is not valid for the filter key {filter.Key}.");
            }

            int count = filter.Values?.Count ?? 0;
            if (count == 0 && !tag)
            {
                throw new InvalidFilterValueException($"The filter {filter.Key} needs 1-50 values.");
            }

            if (count > 50 || filter.Values?.Any(v => string.IsNullOrEmpty(v) || v.Length > 1024) == true)
            {
                throw new InvalidFilterValueException($"The filter {filter.Key} takes 1-50 values of 1-1024 characters.");
            }
        }
    }

    /// <summary>The version of <paramref name="record"/> the filters select (the labelled one for a Label filter, else the latest), or null when it does not match.</summary>
    public static ParameterVersionRecord? Select(ParameterRecord record, IReadOnlyList<ParameterStringFilter>? filters)
    {
        ParameterVersionRecord version = record.Latest;
        if (filters is null || filters.Count == 0)
        {
            return version;
        }

        foreach (ParameterStringFilter filter in filters)
        {
            IReadOnlyList<string> values = filter.Values ?? [];
            string option = OptionOf(filter);
            switch (filter.Key)
            {
                case "Label":
                    ParameterVersionRecord? labelled = record.Versions.LastOrDefault(v => v.Labels.Any(values.Contains));
                    if (labelled is null)
                    {
                        return null;
                    }

                    version = labelled;
                    break;
                case "Name" when !values.Any(v => Matches(record.Name, v, option) || Matches("/" + record.Key, v, option)):
                case "Path" when !values.Any(p => ParameterNames.IsUnder(record.Name, p.Length > 1 ? p.TrimEnd('/') : p, option == "Recursive")):
                case "Type" when !values.Any(v => Matches(record.Latest.Type.ToString(), v, option)):
                case "Tier" when !values.Any(v => Matches(record.Latest.Tier.ToString(), v, option)):
                case "DataType" when !values.Any(v => Matches(record.Latest.DataType, v, option)):
                case "KeyId" when !values.Any(v => record.Latest.KeyId is not null && Matches(record.Latest.KeyId, v, option)):
                    return null;
                case { } key when key.StartsWith("tag:", StringComparison.Ordinal):
                    string? tagValue = record.Tags.GetValueOrDefault(key[4..]);
                    if (tagValue is null)
                    {
                        return null;
                    }

                    if (values.Count > 0 && !values.Any(v => Matches(tagValue, v, option)))
                    {
                        return null;
                    }

                    break;
            }
        }

        return version;
    }

    /// <summary>A filter's option, or its default: OneLevel for Path, Equals for every other key.</summary>
    private static string OptionOf(ParameterStringFilter filter) => filter.Option ?? (filter.Key == "Path" ? "OneLevel" : "Equals");

    private static bool Matches(string actual, string value, string option) => option switch
    {
        "BeginsWith" => actual.StartsWith(value, StringComparison.Ordinal),
        "Contains" => actual.Contains(value, StringComparison.Ordinal),
        _ => string.Equals(actual, value, StringComparison.Ordinal),
    };
}
