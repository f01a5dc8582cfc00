using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GenerateDataKey request: exactly one of <see cref="KeySpec"/> and <see cref="NumberOfBytes"/>.</summary>
public sealed record GenerateDataKeyRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN of a symmetric key.</summary>
    public required string KeyId { get; init; }

    /// <summary>Bound to the encrypted copy.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>1-1024 bytes.</summary>
    public int? NumberOfBytes { get; init; }

    /// <summary>AES_128 (16 bytes) or AES_256 (32 bytes).</summary>
    public DataKeySpec? KeySpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateDataKey response. The caller owns <see cref="Plaintext"/> and should zero it when done.</summary>
public sealed record GenerateDataKeyResponse
{
    /// <summary>The data key encrypted under the KMS key; keep it beside the data.</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>The data key; use it, then zero it.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }

    /// <summary>ARN of the key that encrypted the data key.</summary>
    public required string KeyId { get; init; }
}
