namespace Vaultlib.Parameters;

/// <summary>UnlabelParameterVersion request.</summary>
public sealed record UnlabelParameterVersionRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The version.</summary>
    public required long ParameterVersion { get; init; }

    /// <summary>1-10 labels to remove.</summary>
    public required IReadOnlyList<string> Labels { get; init; }
}

/// <summary>UnlabelParameterVersion response.</summary>
public sealed record UnlabelParameterVersionResponse
{
    /// <summary>The labels removed.</summary>
    public required IReadOnlyList<string> RemovedLabels { get; init; }

    /// <summary>The labels the version did not have.</summary>
    public required IReadOnlyList<string> InvalidLabels { get; init; }
}
