namespace Vaultlib.Keys;

/// <summary>One grant (AWS <c>GrantListEntry</c>).</summary>
public sealed record GrantListEntry
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The grant id.</summary>
    public required string GrantId { get; init; }

    /// <summary>The grant name, if any.</summary>
    public string? Name { get; init; }

    /// <summary>When the grant was made.</summary>
    public required DateTimeOffset CreationDate { get; init; }

    /// <summary>Who the grant is for.</summary>
    public required string GranteePrincipal { get; init; }

    /// <summary>Who may retire it.</summary>
    public string? RetiringPrincipal { get; init; }

    /// <summary>The account that made it.</summary>
    public required string IssuingAccount { get; init; }

    /// <summary>The operations it permits.</summary>
    public required IReadOnlyList<GrantOperation> Operations { get; init; }

    /// <summary>Its encryption context constraints.</summary>
    public GrantConstraints? Constraints { get; init; }
}
