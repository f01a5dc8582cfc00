namespace Vaultlib.Envelope;

/// <summary>
/// Limits an AWS KMS discovery keyring to the KMS keys of some accounts in one partition (the Material Providers
/// Library's <c>DiscoveryFilter</c>): encrypted data keys under any other key are not tried.
/// </summary>
public sealed record DiscoveryFilter
{
    /// <summary>The AWS partition, such as <c>aws</c>.</summary>
    public required string Partition { get; init; }

    /// <summary>The accounts whose keys may decrypt; at least one.</summary>
    public required IReadOnlyList<string> AccountIds { get; init; }

    internal void Validate()
    {
        if (string.IsNullOrEmpty(Partition))
        {
            throw new ArgumentException("A discovery filter needs a partition.", nameof(Partition));
        }

        if (AccountIds is null || AccountIds.Count == 0 || AccountIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A discovery filter needs at least one account, and no empty one.", nameof(AccountIds));
        }
    }

    internal bool Allows(AwsKmsArn arn) =>
        string.Equals(arn.Partition, Partition, StringComparison.Ordinal) && AccountIds.Contains(arn.Account, StringComparer.Ordinal);
}
