namespace Vaultlib.Keys;

/// <summary>Encryption context a grant requires (AWS <c>GrantConstraints</c>): exactly these pairs, or at least these.</summary>
public sealed record GrantConstraints
{
    /// <summary>The request's context must equal this exactly.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContextEquals { get; init; }

    /// <summary>The request's context must contain these pairs (and may have more).</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContextSubset { get; init; }
}
