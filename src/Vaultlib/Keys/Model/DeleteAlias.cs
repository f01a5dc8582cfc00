namespace Vaultlib.Keys;

/// <summary>DeleteAlias request.</summary>
public sealed record DeleteAliasRequest
{
    /// <summary>The alias to delete.</summary>
    public required string AliasName { get; init; }
}

/// <summary>DeleteAlias response (empty).</summary>
public sealed record DeleteAliasResponse;
