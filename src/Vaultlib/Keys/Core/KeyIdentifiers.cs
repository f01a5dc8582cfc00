using System.Text.RegularExpressions;

namespace Vaultlib.Keys;

/// <summary>The four forms of KMS key identifier, parsed.</summary>
internal enum KeyIdForm
{
    KeyId,
    KeyArn,
    AliasName,
    AliasArn,
}

/// <summary>Which KeyId forms an operation accepts, as the AWS KMS API reference says for its KeyId member.</summary>
internal enum KeyIdForms
{
    /// <summary>Key id, key ARN, alias name or alias ARN (the cryptographic operations, DescribeKey, GetPublicKey).</summary>
    Any,

    /// <summary>Key id or key ARN only (key management, tags, rotation, policies, grants, alias targets).</summary>
    KeyIdOrArn,
}

/// <summary>A parsed KeyId: either a key id or an alias name, whichever form it came in.</summary>
internal readonly record struct KeyIdentifier(KeyIdForm Form, string Value);

/// <summary>ARNs, key ids and alias names, with AWS's shapes and rules.</summary>
internal sealed partial class KeyIdentifiers
{
    private readonly string _partition;
    private readonly string _region;
    private readonly string _account;

    public KeyIdentifiers(VaultlibOptions options)
    {
        _partition = options.Partition;
        _region = options.Region;
        _account = options.AccountId;
    }

    public string KeyArn(string keyId) => $"arn:{_partition}:kms:{_region}:{_account}:key/{keyId}";

    public string AliasArn(string aliasName) => $"arn:{_partition}:kms:{_region}:{_account}:{aliasName}";

    public string AccountArn => $"arn:{_partition}:iam::{_account}:root";

    /// <summary>Parses any of the four forms. A malformed ARN is <see cref="InvalidArnException"/>; anything else unknown is <see cref="NotFoundException"/>.</summary>
    public KeyIdentifier Parse(string value)
    {
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            string[] parts = value.Split(':', 6);
            if (parts.Length != 6 || parts[2] != "kms" || parts[1].Length == 0 || parts[3].Length == 0 || parts[4].Length == 0)
            {
                throw new InvalidArnException($"Invalid arn {value}");
            }

            if (parts[1] != _partition || parts[3] != _region || parts[4] != _account)
            {
                // A well-formed ARN of another account or region: that key does not exist here.
                throw new NotFoundException($"Key '{value}' does not exist");
            }

            string resource = parts[5];
            if (resource.StartsWith("key/", StringComparison.Ordinal) && IsKeyId(resource[4..]))
            {
                return new KeyIdentifier(KeyIdForm.KeyArn, resource[4..]);
            }

            if (resource.StartsWith("alias/", StringComparison.Ordinal) && resource.Length > 6)
            {
                return new KeyIdentifier(KeyIdForm.AliasArn, resource);
            }

            throw new InvalidArnException($"Invalid arn {value}");
        }

        if (value.StartsWith("alias/", StringComparison.Ordinal))
        {
            return new KeyIdentifier(KeyIdForm.AliasName, value);
        }

        if (IsKeyId(value))
        {
            return new KeyIdentifier(KeyIdForm.KeyId, value);
        }

        throw new NotFoundException($"Invalid keyId '{value}'");
    }

    /// <summary>A GUID in lower-case "D" form, or <c>mrk-</c> and 32 lower-case hex digits.</summary>
    public static bool IsKeyId(string value) => KeyIdPattern().IsMatch(value);

    /// <summary>
    /// AWS's alias rules: <c>alias/</c> and 1-250 characters of <c>a-zA-Z0-9/_-</c> (256 in all),
    /// and not <c>alias/aws/</c>, which is reserved for AWS managed keys.
    /// </summary>
    public static void ValidateCustomerAliasName(string aliasName)
    {
        if (!AliasPattern().IsMatch(aliasName))
        {
            throw new InvalidAliasNameException($"Alias name '{aliasName}' is invalid: it must begin with 'alias/', be at most 256 characters, and use only a-z, A-Z, 0-9, '/', '_' and '-'.");
        }

        if (aliasName.StartsWith("alias/aws/", StringComparison.Ordinal))
        {
            throw new InvalidAliasNameException($"Alias name '{aliasName}' is reserved: names beginning with 'alias/aws/' are for AWS managed keys.");
        }
    }

    // \z, not $: $ also matches before a final line break, which would let "…\n" through.
    [GeneratedRegex(@"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyIdPattern();

    [GeneratedRegex(@"^alias/[a-zA-Z0-9/_-]{1,250}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();
}
