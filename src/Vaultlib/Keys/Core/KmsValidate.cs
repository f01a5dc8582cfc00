using Vaultlib.Internal;

namespace Vaultlib.Keys;

/// <summary>KMS's request-member rules that more than one operation shares.</summary>
internal static class KmsValidate
{
    /// <summary>The most tags one key may have.</summary>
    public const int MaxTagsPerKey = 50;

    public static void KeyId(string keyId, string member = "KeyId") => Validate.Length(member, keyId, 1, 2048);

    /// <summary>A Region name such as <c>eu-west-1</c> (ReplicaRegion, PrimaryRegion).</summary>
    public static void Region(string member, string region)
    {
        Validate.Length(member, region, 1, 32);
        if (!VaultlibOptionsValidator.IsRegionName(region))
        {
            throw new ValidationException(member, $"'{region}' is not a Region name such as 'eu-west-1'.");
        }
    }

    public static void OptionalKeyId(string? keyId, string member = "KeyId") => Validate.Length(member, keyId, 1, 2048, required: false);

    public static void AliasTarget(string aliasName, string targetKeyId)
    {
        Validate.Length("AliasName", aliasName, 1, 256);
        KeyId(targetKeyId, "TargetKeyId");
        KeyIdentifiers.ValidateCustomerAliasName(aliasName);
    }

    public static void Tags(IReadOnlyList<Tag>? tags)
    {
        Validate.Required("Tags", tags);
        foreach (Tag tag in tags!)
        {
            if (tag is null || tag.TagKey is null || tag.TagValue is null)
            {
                throw new TagException("A tag has a null key or value.");
            }

            if (tag.TagKey.Length is < 1 or > 128 || tag.TagValue.Length > 256)
            {
                throw new TagException($"Tag '{tag.TagKey}' is invalid: keys are 1-128 characters and values 0-256.");
            }

            if (tag.TagKey.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new TagException($"Tag key '{tag.TagKey}' is reserved: the 'aws:' prefix is for AWS.");
            }
        }
    }

    public static void Policy(string policy)
    {
        if (policy.Length is < 1 or > 32768)
        {
            throw new MalformedPolicyDocumentException(string.Empty, $"The key policy must be 1-32768 characters; it is {policy.Length}.");
        }

        // The full IAM grammar: a key policy that would not parse as a policy is refused when it is set.
        _ = Authorization.PolicyDocument.Parse(policy);
    }

    public static void PolicyName(string? name)
    {
        if (name is not null and not "default")
        {
            throw new ValidationException("PolicyName", $"The only key policy name is 'default', not '{name}'.");
        }
    }

    public static void DataKey(string keyId, int? numberOfBytes, DataKeySpec? keySpec, IReadOnlyList<string>? grantTokens)
    {
        KeyId(keyId);
        Validate.Defined("KeySpec", keySpec);
        Validate.Range("NumberOfBytes", numberOfBytes, 1, 1024);
        Validate.GrantTokens(grantTokens);
        if (numberOfBytes is null == keySpec is null)
        {
            throw new ValidationException(
                numberOfBytes is null ? "KeySpec" : "NumberOfBytes",
                "Please specify either number of bytes or key spec: exactly one of KeySpec (AES_128, AES_256) and NumberOfBytes (1-1024) is required.");
        }
    }

    public static void DataKeyPair(string keyId, DataKeyPairSpec spec, IReadOnlyList<string>? grantTokens)
    {
        KeyId(keyId);
        Validate.Defined("KeyPairSpec", (DataKeyPairSpec?)spec);
        Validate.GrantTokens(grantTokens);
    }

    public static void Signing(string keyId, ReadOnlyMemory<byte> message, MessageType? type, SigningAlgorithmSpec algorithm, IReadOnlyList<string>? grantTokens)
    {
        KeyId(keyId);
        Validate.ByteLength("Message", message, 1, KeyService.MaxPlaintextLength);
        Validate.Defined("MessageType", type);
        Validate.Defined("SigningAlgorithm", (SigningAlgorithmSpec?)algorithm);
        Validate.GrantTokens(grantTokens);
    }

    public static void Mac(string keyId, ReadOnlyMemory<byte> message, MacAlgorithmSpec algorithm, IReadOnlyList<string>? grantTokens)
    {
        KeyId(keyId);
        Validate.ByteLength("Message", message, 1, KeyService.MaxPlaintextLength);
        Validate.Defined("MacAlgorithm", (MacAlgorithmSpec?)algorithm);
        Validate.GrantTokens(grantTokens);
    }
}
