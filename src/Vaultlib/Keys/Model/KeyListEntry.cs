namespace Vaultlib.Keys;

/// <summary>One key in a <see cref="ListKeysResponse"/> (AWS <c>KeyListEntry</c>).</summary>
public sealed record KeyListEntry
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key ARN.</summary>
    public required string KeyArn { get; init; }
}
