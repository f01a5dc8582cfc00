namespace Vaultlib.Keys;

/// <summary>A key-value tag (AWS <c>Tag</c>).</summary>
public sealed record Tag
{
    /// <summary>The key: 1-128 characters, not starting with <c>aws:</c>.</summary>
    public required string TagKey { get; init; }

    /// <summary>The value: 0-256 characters.</summary>
    public required string TagValue { get; init; }
}
