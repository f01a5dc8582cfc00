using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Vaultlib;

/// <summary>
/// The identity every Vaultlib service runs as: the AWS account and region that appear in ARNs.
/// </summary>
public sealed class VaultlibOptions
{
    /// <summary>The default region, <c>us-east-1</c>.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>The default account, <c>111122223333</c> (the account AWS uses in its documentation).</summary>
    public const string DefaultAccountId = "111122223333";

    /// <summary>The region named in ARNs, e.g. <c>eu-west-1</c>. Default <see cref="DefaultRegion"/>.</summary>
    public string Region { get; set; } = DefaultRegion;

    /// <summary>The 12-digit account id named in ARNs. Default <see cref="DefaultAccountId"/>.</summary>
    public string AccountId { get; set; } = DefaultAccountId;

    /// <summary>The ARN partition, <c>aws</c> unless set (e.g. <c>aws-cn</c>, <c>aws-us-gov</c>).</summary>
    public string Partition { get; set; } = "aws";
}

/// <summary>Validates <see cref="VaultlibOptions"/>: region, account and partition shapes.</summary>
internal sealed partial class VaultlibOptionsValidator : IValidateOptions<VaultlibOptions>
{
    public ValidateOptionsResult Validate(string? name, VaultlibOptions options)
    {
        var failures = new List<string>();
        if (options.Region is null || !RegionPattern().IsMatch(options.Region))
        {
            failures.Add($"VaultlibOptions.Region '{options.Region}' is not a region name such as 'us-east-1'.");
        }

        if (options.AccountId is null || !AccountPattern().IsMatch(options.AccountId))
        {
            failures.Add($"VaultlibOptions.AccountId '{options.AccountId}' must be exactly 12 digits.");
        }

        if (options.Partition is null || !PartitionPattern().IsMatch(options.Partition))
        {
            failures.Add($"VaultlibOptions.Partition '{options.Partition}' must be 'aws' or 'aws-<suffix>'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates and throws <see cref="OptionsValidationException"/> listing every failure.</summary>
    internal static VaultlibOptions EnsureValid(VaultlibOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new VaultlibOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(VaultlibOptions), result.Failures);
        }

        return options;
    }

    /// <summary>Whether <paramref name="region"/> has the shape of an AWS Region name.</summary>
    internal static bool IsRegionName(string? region) => region is not null && RegionPattern().IsMatch(region);

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [GeneratedRegex("^[0-9]{12}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^aws(-[a-z]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex PartitionPattern();
}
