using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>DeleteImportedKeyMaterial request.</summary>
public sealed record DeleteImportedKeyMaterialRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of a key of imported material.</summary>
    public required string KeyId { get; init; }
}

/// <summary>DeleteImportedKeyMaterial response.</summary>
public sealed record DeleteImportedKeyMaterialResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The id of the material deleted; null when the key had none.</summary>
    public string? KeyMaterialId { get; init; }
}
