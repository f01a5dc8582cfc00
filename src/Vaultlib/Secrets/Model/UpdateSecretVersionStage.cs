namespace Vaultlib.Secrets;

/// <summary>UpdateSecretVersionStage request: moves a staging label to <see cref="MoveToVersionId"/> and/or removes it from <see cref="RemoveFromVersionId"/>.</summary>
public sealed record UpdateSecretVersionStageRequest
{
    /// <summary>The secret: its name, full ARN or partial ARN.</summary>
    public required string SecretId { get; init; }

    /// <summary>The label, 1-256 characters.</summary>
    public required string VersionStage { get; init; }

    /// <summary>The version that has the label now (required when it is on a version and is moving).</summary>
    public string? RemoveFromVersionId { get; init; }

    /// <summary>The version to give the label.</summary>
    public string? MoveToVersionId { get; init; }
}

/// <summary>UpdateSecretVersionStage response.</summary>
public sealed record UpdateSecretVersionStageResponse
{
    /// <summary>The secret's ARN.</summary>
    public required string ARN { get; init; }

    /// <summary>The name.</summary>
    public required string Name { get; init; }
}
