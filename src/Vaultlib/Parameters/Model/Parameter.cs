using Vaultlib.Audit;

namespace Vaultlib.Parameters;

/// <summary>A parameter as GetParameter(s) and GetParametersByPath return it (AWS <c>Parameter</c>). Its value is never formatted by <see cref="object.ToString"/>.</summary>
public sealed record Parameter
{
    /// <summary>The name as stored (with its leading <c>/</c> when it has one).</summary>
    public required string Name { get; init; }

    /// <summary>The type.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>
    /// The value: for a SecureString read without decryption, the base64 ciphertext, as AWS returns it. Null only for a
    /// reference to a Secrets Manager secret whose value is binary, which AWS returns without a value.
    /// </summary>
    [Sensitive]
    public required string? Value { get; init; }

    /// <summary>The version returned.</summary>
    public required long Version { get; init; }

    /// <summary>The selector the request used (<c>:3</c> or <c>:label</c>), if any.</summary>
    public string? Selector { get; init; }

    /// <summary>
    /// For a reference to a Secrets Manager secret (<c>/aws/reference/secretsmanager/…</c>): the secret's GetSecretValue
    /// result as JSON, value included, as AWS returns it; null for a parameter.
    /// </summary>
    [Sensitive]
    public string? SourceResult { get; init; }

    /// <summary>When this version was written.</summary>
    public required DateTimeOffset LastModifiedDate { get; init; }

    /// <summary>The parameter's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary><c>text</c> or <c>aws:ec2:image</c>; null for a reference to a Secrets Manager secret, as AWS returns it.</summary>
    public required string? DataType { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Type = ").Append(Type).Append(", Version = ").Append(Version);
        return true;
    }
}

/// <summary>A key-value tag of a parameter (AWS SSM <c>Tag</c>).</summary>
public sealed record Tag
{
    /// <summary>The key: 1-128 characters.</summary>
    public required string Key { get; init; }

    /// <summary>The value: 0-256 characters.</summary>
    public required string Value { get; init; }
}

/// <summary>A parameter policy as it is attached to a version (AWS <c>ParameterInlinePolicy</c>).</summary>
public sealed record ParameterInlinePolicy
{
    /// <summary>The policy's JSON text.</summary>
    public required string PolicyText { get; init; }

    /// <summary><c>Expiration</c>, <c>ExpirationNotification</c> or <c>NoChangeNotification</c>.</summary>
    public required string PolicyType { get; init; }

    /// <summary><c>Pending</c>, <c>Finished</c> or <c>Failed</c>.</summary>
    public required string PolicyStatus { get; init; }
}

/// <summary>A parameter's metadata, without its value (AWS <c>ParameterMetadata</c>).</summary>
public sealed record ParameterMetadata
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The type.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>The KMS key of a SecureString (as the request gave it, or <c>alias/aws/ssm</c>).</summary>
    public string? KeyId { get; init; }

    /// <summary>When the latest version was written.</summary>
    public required DateTimeOffset LastModifiedDate { get; init; }

    /// <summary>Who wrote the latest version.</summary>
    public required string LastModifiedUser { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The regular expression values must match.</summary>
    public string? AllowedPattern { get; init; }

    /// <summary>The latest version.</summary>
    public required long Version { get; init; }

    /// <summary>The tier.</summary>
    public required ParameterTier Tier { get; init; }

    /// <summary>The policies attached.</summary>
    public required IReadOnlyList<ParameterInlinePolicy> Policies { get; init; }

    /// <summary><c>text</c> or <c>aws:ec2:image</c>.</summary>
    public required string DataType { get; init; }
}

/// <summary>One version of a parameter (AWS <c>ParameterHistory</c>). Its value is never formatted by <see cref="object.ToString"/>.</summary>
public sealed record ParameterHistory
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The type.</summary>
    public required ParameterType Type { get; init; }

    /// <summary>The KMS key of a SecureString.</summary>
    public string? KeyId { get; init; }

    /// <summary>When the version was written.</summary>
    public required DateTimeOffset LastModifiedDate { get; init; }

    /// <summary>Who wrote it.</summary>
    public required string LastModifiedUser { get; init; }

    /// <summary>The description of this version.</summary>
    public string? Description { get; init; }

    /// <summary>The value (the base64 ciphertext of a SecureString read without decryption).</summary>
    [Sensitive]
    public required string Value { get; init; }

    /// <summary>The regular expression of this version.</summary>
    public string? AllowedPattern { get; init; }

    /// <summary>The version.</summary>
    public required long Version { get; init; }

    /// <summary>Its labels.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>The tier.</summary>
    public required ParameterTier Tier { get; init; }

    /// <summary>The policies of this version.</summary>
    public required IReadOnlyList<ParameterInlinePolicy> Policies { get; init; }

    /// <summary><c>text</c> or <c>aws:ec2:image</c>.</summary>
    public required string DataType { get; init; }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Type = ").Append(Type).Append(", Version = ").Append(Version);
        return true;
    }
}

/// <summary>A filter of GetParametersByPath and DescribeParameters (AWS <c>ParameterStringFilter</c>).</summary>
public sealed record ParameterStringFilter
{
    /// <summary><c>Name</c>, <c>Path</c>, <c>Type</c>, <c>KeyId</c>, <c>Label</c>, <c>Tier</c>, <c>DataType</c> or <c>tag:&lt;key&gt;</c>.</summary>
    public required string Key { get; init; }

    /// <summary><c>Equals</c>, <c>BeginsWith</c>, <c>Contains</c>, or for <c>Path</c> <c>OneLevel</c> and <c>Recursive</c>.</summary>
    public string? Option { get; init; }

    /// <summary>1-50 values, any of which may match.</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>The older filter of DescribeParameters (AWS <c>ParametersFilter</c>): <c>Name</c>, <c>Type</c> or <c>KeyId</c>, equal to any value.</summary>
public sealed record ParametersFilter
{
    /// <summary><c>Name</c>, <c>Type</c> or <c>KeyId</c>.</summary>
    public required string Key { get; init; }

    /// <summary>1-50 values.</summary>
    public required IReadOnlyList<string> Values { get; init; }
}
