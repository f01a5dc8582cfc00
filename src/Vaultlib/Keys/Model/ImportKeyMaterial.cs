using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>ImportKeyMaterial request.</summary>
public sealed record ImportKeyMaterialRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of the key the import token was issued for.</summary>
    public required string KeyId { get; init; }

    /// <summary>The token from the same GetParametersForImport response as the wrapping public key.</summary>
    public required ReadOnlyMemory<byte> ImportToken { get; init; }

    /// <summary>
    /// The key material wrapped as the token's algorithm says: 32 bytes for a symmetric key, the HMAC
    /// key for an HMAC key, a PKCS #8 DER private key for an asymmetric key.
    /// </summary>
    [Sensitive]
    public required ReadOnlyMemory<byte> EncryptedKeyMaterial { get; init; }

    /// <summary>When the material expires: required with <see cref="ExpirationModelType.KEY_MATERIAL_EXPIRES"/> (the default), at most 365 days away; omitted otherwise.</summary>
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>Default <see cref="ExpirationModelType.KEY_MATERIAL_EXPIRES"/>.</summary>
    public ExpirationModelType? ExpirationModel { get; init; }
}

/// <summary>ImportKeyMaterial response.</summary>
public sealed record ImportKeyMaterialResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The id of the imported material: the same each time the same material is imported.</summary>
    public required string KeyMaterialId { get; init; }
}
