namespace Vaultlib.Parameters;

/// <summary>LabelParameterVersion request.</summary>
public sealed record LabelParameterVersionRequest
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The version to label; the latest when omitted.</summary>
    public long? ParameterVersion { get; init; }

    /// <summary>1-10 labels; a label on another version moves here.</summary>
    public required IReadOnlyList<string> Labels { get; init; }
}

/// <summary>LabelParameterVersion response.</summary>
public sealed record LabelParameterVersionResponse
{
    /// <summary>Labels that break AWS's label rules, which were not applied.</summary>
    public required IReadOnlyList<string> InvalidLabels { get; init; }

    /// <summary>The version labelled.</summary>
    public required long ParameterVersion { get; init; }
}
