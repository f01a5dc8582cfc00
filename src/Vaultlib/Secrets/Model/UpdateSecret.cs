using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>UpdateSecret request: a new description or KMS key, and/or a new AWSCURRENT value.</summary>
public sealed record UpdateSecretRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>With a value: the new version's id (32-64 characters; a new UUID when absent).</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>The new description.</summary>
    public string? Description { get; init; }

    /// <summary>The new KMS key: AWSCURRENT, AWSPENDING and AWSPREVIOUS are encrypted again under it.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>A new binary value.</summary>
    public ReadOnlyMemory<byte>? SecretBinary { get; init; }

    /// <summary>A new string value.</summary>
    [Sensitive]
    public string? SecretString { get; init; }

    /// <summary>Print the request without its value.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("SecretId = ").Append(SecretId);
        return true;
    }
}

/// <summary>UpdateSecret response.</summary>
public sealed record UpdateSecretResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The new version's id, when the request gave a value.</summary>
    public string? VersionId { get; init; }
}
