namespace Vaultlib.Parameters;

/// <summary>
/// SSM's <c>ParameterStringFilter</c>s: which keys each operation takes, which options each key
/// takes, and whether a parameter matches (every filter must match; any of a filter's values may).
/// </summary>
internal static class ParameterFilters
{
    /// <summary>The keys GetParametersByPath takes (besides <c>tag:…</c>).</summary>
    public static readonly string[] ByPathKeys = ["Type", "KeyId", "Label"];

    /// <summary>The keys DescribeParameters takes (besides <c>tag:…</c>).</summary>
    public static readonly string[] DescribeKeys = ["Name", "Path", "Type", "KeyId", "Label", "Tier", "DataType"];

    public static void Validate(IReadOnlyList<ParameterStringFilter>? filters, string[] keys)
    {
        foreach (ParameterStringFilter filter in filters ?? [])
        {
            bool tag = filter.Key?.StartsWith("tag:", StringComparison.Ordinal) == true && filter.Key.Length > 4;
            if (filter.Key is null || (!tag && !keys.Contains(filter.Key, StringComparer.Ordinal)))
            {
                throw new InvalidFilterKeyException($"The filter key {filter.Key} is not valid here; use {string.Join(", ", keys)} or tag:<key>.");
            }

            string option = filter.Option ?? (filter.Key == "Path" ? "OneLevel" : "Equals");
            bool valid = filter.Key switch
            {
                "Path" => option is "OneLevel" or "Recursive",
                "Name" => option is "Equals" or "BeginsWith" or "Contains",
                "Type" or "Tier" or "DataType" or "Label" => option is "Equals",
                _ => option is "Equals" or "BeginsWith",
            };
            if (!valid)
            {
                throw new InvalidFilterOptionException($"The option {option} is not valid for the filter key {filter.Key}.");
            }

            if ((filter.Values is null || filter.Values.Count == 0) && !tag)
            {
                throw new InvalidFilterValueException($"The filter {filter.Key} needs 1-50 values.");
            }

            if (filter.Values is { Count: > 50 } || filter.Values?.Any(v => v is null || v.Length is 0 or > 1024) == true)
            {
                throw new InvalidFilterValueException($"The filter {filter.Key} takes 1-50 values of 1-1024 characters.");
            }
        }
    }

    /// <summary>The version of <paramref name="record"/> the filters select (the labelled one for a Label filter, else the latest), or null when it does not match.</summary>
    public static ParameterVersionRecord? Select(ParameterRecord record, IReadOnlyList<ParameterStringFilter>? filters)
    {
        ParameterVersionRecord version = record.Latest;
        if (filters is null or { Count: 0 })
        {
            return version;
        }

        foreach (ParameterStringFilter filter in filters ?? [])
        {
            IReadOnlyList<string> values = filter.Values ?? [];
            string option = filter.Option ?? (filter.Key == "Path" ? "OneLevel" : "Equals");
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
                case "Type" when !values.Contains(record.Latest.Type.ToString()):
                case "Tier" when !values.Contains(record.Latest.Tier.ToString()):
                case "DataType" when !values.Contains(record.Latest.DataType):
                case "KeyId" when record.Latest.KeyId is not { } keyId || !values.Any(v => Matches(keyId, v, option)):
                    return null;
                case { } key when key.StartsWith("tag:", StringComparison.Ordinal):
                    if (!record.Tags.TryGetValue(key[4..], out string? tagValue) || (values.Count > 0 && !values.Any(v => Matches(tagValue, v, option))))
                    {
                        return null;
                    }

                    break;
            }
        }

        return version;
    }

    private static bool Matches(string actual, string value, string option) => option switch
    {
        "BeginsWith" => actual.StartsWith(value, StringComparison.Ordinal),
        "Contains" => actual.Contains(value, StringComparison.Ordinal),
        _ => string.Equals(actual, value, StringComparison.Ordinal),
    };
}
