using Vaultlib.Audit;

namespace Vaultlib.Parameters;

/// <summary>PutParameter request.</summary>
public sealed record PutParameterRequest
{
    /// <summary>The name: 1-1011 characters of <c>a-zA-Z0-9_.-/</c>, at most 15 levels, not beginning with <c>aws</c> or <c>ssm</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A description, 0-1024 characters.</summary>
    public string? Description { get; init; }

    /// <summary>The value: up to 4 KB in the Standard tier, 8 KB in the Advanced tier.</summary>
    [Sensitive]
    public required string Value { get; init; }

    /// <summary>Required for a new parameter; an existing parameter keeps its type.</summary>
    public ParameterType? Type { get; init; }

    /// <summary>The KMS key of a SecureString (any KeyId form); <c>alias/aws/ssm</c> when omitted.</summary>
    public string? KeyId { get; init; }

    /// <summary>Replace an existing parameter with a new version.</summary>
    public bool? Overwrite { get; init; }

    /// <summary>A regular expression every value must match, 0-1024 characters.</summary>
    public string? AllowedPattern { get; init; }

    /// <summary>Tags of a new parameter (not with <see cref="Overwrite"/>), up to 50.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>The tier; Standard for a new parameter when omitted, and an existing Advanced parameter stays Advanced.</summary>
    public ParameterTier? Tier { get; init; }

    /// <summary>Parameter policies (JSON array), Advanced tier only.</summary>
    public string? Policies { get; init; }

    /// <summary><c>text</c> (the default) or <c>aws:ec2:image</c>.</summary>
    public string? DataType { get; init; }
}

/// <summary>PutParameter response.</summary>
public sealed record PutParameterResponse
{
    /// <summary>The new version.</summary>
    public required long Version { get; init; }

    /// <summary>The parameter's tier.</summary>
    public required ParameterTier Tier { get; init; }
}
