using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GetParametersForImport request.</summary>
public sealed record GetParametersForImportRequest : IKeyIdRequest
{
    /// <summary>Key id or key ARN of a key whose origin is <see cref="OriginType.EXTERNAL"/>.</summary>
    public required string KeyId { get; init; }

    /// <summary>How the key material will be wrapped with the returned public key.</summary>
    public required AlgorithmSpec WrappingAlgorithm { get; init; }

    /// <summary>The RSA public key to return.</summary>
    public required WrappingKeySpec WrappingKeySpec { get; init; }
}

/// <summary>GetParametersForImport response: a public key and the import token that goes with it, valid for 24 hours.</summary>
public sealed record GetParametersForImportResponse
{
    /// <summary>The key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The token to send with ImportKeyMaterial, with material wrapped by <see cref="PublicKey"/>.</summary>
    public required ReadOnlyMemory<byte> ImportToken { get; init; }

    /// <summary>The wrapping public key, DER SubjectPublicKeyInfo.</summary>
    public required ReadOnlyMemory<byte> PublicKey { get; init; }

    /// <summary>When the public key and token stop being accepted (24 hours after the request).</summary>
    public required DateTimeOffset ParametersValidTo { get; init; }
}
