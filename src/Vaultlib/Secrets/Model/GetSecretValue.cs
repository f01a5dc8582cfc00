using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>GetSecretValue request: by <see cref="VersionId"/>, by <see cref="VersionStage"/>, or AWSCURRENT.</summary>
public sealed record GetSecretValueRequest
{
    /// <summary>The secret: its name, full ARN or ARN without the random suffix.</summary>
    public required string SecretId { get; init; }

    /// <summary>The version to read.</summary>
    public string? VersionId { get; init; }

    /// <summary>The staging label of the version to read.</summary>
    public string? VersionStage { get; init; }
}

/// <summary>GetSecretValue response.</summary>
public sealed record GetSecretValueResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The version id.</summary>
    public required string VersionId { get; init; }

    /// <summary>The binary value, when the version holds one.</summary>
    public ReadOnlyMemory<byte>? SecretBinary { get; init; }

    /// <summary>The string value, when the version holds one.</summary>
    [Sensitive]
    public string? SecretString { get; init; }

    /// <summary>The version's staging labels.</summary>
    public required IReadOnlyList<string> VersionStages { get; init; }

    /// <summary>When the version was created.</summary>
    public required DateTimeOffset CreatedDate { get; init; }

    // The generated ToString would print the value; keep it to identity.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ARN = ").Append(ARN).Append(", VersionId = ").Append(VersionId);
        return true;
    }
}
