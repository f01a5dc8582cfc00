namespace Vaultlib.Secrets;

/// <summary>
/// Staging labels, with AWS's rules: a label is on at most one version; moving AWSCURRENT to a version gives the
/// version that had it AWSPREVIOUS (taken from wherever it was); a version has at most 20 labels; versions without a
/// label are deprecated, and beyond the 100 newest, those older than 24 hours are pruned.
/// </summary>
internal static class SecretStages
{
    public const string Current = "AWSCURRENT";
    public const string Pending = "AWSPENDING";
    public const string Previous = "AWSPREVIOUS";
    public const int MaxStagesPerVersion = 20;
    public const int KeptVersions = 100;
    public static readonly TimeSpan KeptAge = TimeSpan.FromHours(24);

    /// <summary>The versions with <paramref name="stage"/> attached to <paramref name="versionId"/> (and removed from every other one).</summary>
    public static List<SecretVersionRecord> Attach(IReadOnlyList<SecretVersionRecord> versions, string versionId, string stage)
    {
        var result = new List<SecretVersionRecord>(versions.Count);
        string? previousCurrent = stage == Current ? versions.FirstOrDefault(v => v.Has(Current))?.VersionId : null;
        bool movesCurrent = previousCurrent is not null && previousCurrent != versionId;
        foreach (SecretVersionRecord v in versions)
        {
            IEnumerable<string> stages = v.Stages;
            if (v.VersionId == versionId)
            {
                stages = stages.Append(stage); // once: Distinct below drops it if the version had it
                if (stage == Current)
                {
                    stages = stages.Where(s => s != Previous || !movesCurrent);
                }
            }
            else
            {
                stages = stages.Where(s => s != stage);
                if (movesCurrent)
                {
                    stages = v.VersionId == previousCurrent ? stages.Append(Previous) : stages.Where(s => s != Previous);
                }
            }

            List<string> list = [.. stages.Distinct(StringComparer.Ordinal)];
            if (list.Count > MaxStagesPerVersion)
            {
                throw new LimitExceededException($"A version can have at most {MaxStagesPerVersion} staging labels.");
            }

            result.Add(list.SequenceEqual(v.Stages, StringComparer.Ordinal) ? v : v with { Stages = list });
        }

        return result;
    }

    /// <summary>The versions with <paramref name="stage"/> removed from <paramref name="versionId"/>.</summary>
    public static List<SecretVersionRecord> Detach(IReadOnlyList<SecretVersionRecord> versions, string versionId, string stage) =>
        [.. versions.Select(v => v.VersionId == versionId && v.Has(stage) ? v with { Stages = [.. v.Stages.Where(s => s != stage)] } : v)];

    /// <summary>Drops deprecated versions (no label) beyond the <see cref="KeptVersions"/> newest, oldest first, sparing those under 24 hours old.</summary>
    public static List<SecretVersionRecord> Prune(List<SecretVersionRecord> versions, DateTimeOffset now)
    {
        int excess = versions.Count - KeptVersions;
        if (excess <= 0)
        {
            return versions;
        }

        var dropped = new HashSet<string>(StringComparer.Ordinal);
        foreach (SecretVersionRecord v in versions)
        {
            if (dropped.Count == excess)
            {
                break;
            }

            if (v.Stages.Count == 0 && now - v.CreatedDate >= KeptAge)
            {
                dropped.Add(v.VersionId);
            }
        }

        return [.. versions.Where(v => !dropped.Contains(v.VersionId))];
    }
}
