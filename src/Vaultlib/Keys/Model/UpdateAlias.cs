namespace Vaultlib.Keys;

/// <summary>UpdateAlias request.</summary>
public sealed record UpdateAliasRequest
{
    /// <summary>The existing alias.</summary>
    public required string AliasName { get; init; }

    /// <summary>The new target: a customer managed key of the same type and usage as the current one.</summary>
    public required string TargetKeyId { get; init; }
}

/// <summary>UpdateAlias response (empty).</summary>
public sealed record UpdateAliasResponse;
