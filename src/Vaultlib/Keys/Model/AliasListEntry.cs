namespace Vaultlib.Keys;

/// <summary>One alias in a <see cref="ListAliasesResponse"/> (AWS <c>AliasListEntry</c>).</summary>
public sealed record AliasListEntry
{
    /// <summary>The alias name, <c>alias/...</c>.</summary>
    public required string AliasName { get; init; }

    /// <summary>The alias ARN.</summary>
    public required string AliasArn { get; init; }

    /// <summary>The id of the key the alias points to.</summary>
    public string? TargetKeyId { get; init; }

    /// <summary>When the alias was created.</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When the alias was last pointed at a key.</summary>
    public DateTimeOffset? LastUpdatedDate { get; init; }
}
