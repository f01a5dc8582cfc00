using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>PutSecretValue request: a new version, labelled AWSCURRENT unless <see cref="VersionStages"/> says otherwise.</summary>
public sealed record PutSecretValueRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The new version's id (32-64 characters; a new UUID when absent), which makes the request idempotent.</summary>
    public string? ClientRequestToken { get; init; }

    /// <summary>A binary value, 1-65,536 bytes.</summary>
    public ReadOnlyMemory<byte>? SecretBinary { get; init; }

    /// <summary>A string value, 1-65,536 bytes in UTF-8.</summary>
    [Sensitive]
    public string? SecretString { get; init; }

    /// <summary>The labels for the new version, 1-20 (default AWSCURRENT); each moves here from any other version.</summary>
    public IReadOnlyList<string>? VersionStages { get; init; }

    /// <summary>Print the request without its value.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("SecretId = ").Append(SecretId);
        return true;
    }
}

/// <summary>PutSecretValue response.</summary>
public sealed record PutSecretValueResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The version's id.</summary>
    public required string VersionId { get; init; }

    /// <summary>The version's staging labels.</summary>
    public required IReadOnlyList<string> VersionStages { get; init; }
}
