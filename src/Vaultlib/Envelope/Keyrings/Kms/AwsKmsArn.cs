namespace Vaultlib.Envelope;

/// <summary>
/// A KMS key or alias ARN as the Material Providers Library reads one (<c>aws-kms-key-arn.md</c>): six parts
/// split by exactly five <c>:</c>, <c>arn</c>, a partition, <c>kms</c>, a Region, an account, and a resource
/// <c>key/…</c> or <c>alias/…</c>.
/// </summary>
internal readonly record struct AwsKmsArn(string Partition, string Region, string Account, string ResourceType, string ResourceId)
{
    /// <summary>Whether this is a multi-Region key's ARN (a key whose id starts with <c>mrk-</c>).</summary>
    public bool IsMultiRegionKey => ResourceType == "key" && ResourceId.StartsWith("mrk-", StringComparison.Ordinal);

    public static bool TryParse(string? value, out AwsKmsArn arn)
    {
        arn = default;
        if (value is null)
        {
            return false;
        }

        string[] parts = value.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[1].Length == 0 || parts[2] != "kms" || parts[3].Length == 0 || parts[4].Length == 0)
        {
            return false;
        }

        int slash = parts[5].IndexOf('/', StringComparison.Ordinal);
        // Stryker disable once Equality : at slash 0 the resource type is empty, neither key nor alias, and refused by the caller either way
        if (slash <= 0 || slash == parts[5].Length - 1)
        {
            return false;
        }

        string type = parts[5][..slash];
        if (type is not ("key" or "alias"))
        {
            return false;
        }

        arn = new AwsKmsArn(parts[1], parts[3], parts[4], type, parts[5][(slash + 1)..]);
        return true;
    }

    /// <summary>The ARN of a key, as valid provider info; null when <paramref name="value"/> is not one.</summary>
    public static AwsKmsArn? ParseKeyArn(string value) => TryParse(value, out AwsKmsArn arn) && arn.ResourceType == "key" ? arn : null;

    /// <summary>
    /// Whether <paramref name="identifier"/> is a valid KMS key identifier: a valid ARN, an alias name
    /// (<c>alias/…</c>), or a key id (not starting <c>key/</c>), 1 to 2048 characters.
    /// </summary>
    public static bool IsValidIdentifier(string? identifier)
    {
        if (string.IsNullOrEmpty(identifier) || identifier.Length > 2048)
        {
            return false;
        }

        if (identifier.StartsWith("arn:", StringComparison.Ordinal))
        {
            return TryParse(identifier, out _);
        }

        return identifier.StartsWith("alias/", StringComparison.Ordinal) ? identifier.Length > "alias/".Length : !identifier.StartsWith("key/", StringComparison.Ordinal);
    }

    /// <summary>Whether an identifier names a multi-Region key (an MRK ARN or a bare <c>mrk-</c> key id; never an alias).</summary>
    public static bool IsMultiRegionIdentifier(string identifier) => identifier.StartsWith("arn:", StringComparison.Ordinal)
        ? TryParse(identifier, out AwsKmsArn arn) && arn.IsMultiRegionKey
        : identifier.StartsWith("mrk-", StringComparison.Ordinal);

    /// <summary>
    /// The Material Providers Library's "MRK match for decrypt": identical identifiers match; two multi-Region key
    /// ARNs match when all but their Regions are equal; nothing else matches.
    /// </summary>
    public static bool MrkMatchForDecrypt(string configured, string stored)
    {
        if (string.Equals(configured, stored, StringComparison.Ordinal))
        {
            return true;
        }

        // One parse per check, so that each can be mutated and still compile.
        if (!TryParse(configured, out AwsKmsArn a))
        {
            return false;
        }

        if (!TryParse(stored, out AwsKmsArn b))
        {
            return false;
        }

        return a.IsMultiRegionKey && a with { Region = b.Region } == b; // the same resource id: b is a multi-Region key too
    }

    /// <summary>This ARN in another Region.</summary>
    public string InRegion(string region) => $"arn:{Partition}:kms:{region}:{Account}:{ResourceType}/{ResourceId}";

    public override string ToString() => InRegion(Region);
}
