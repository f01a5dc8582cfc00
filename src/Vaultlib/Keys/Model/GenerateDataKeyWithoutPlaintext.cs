using Vaultlib.Audit;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>GenerateDataKeyWithoutPlaintext request.</summary>
public sealed record GenerateDataKeyWithoutPlaintextRequest : IKeyIdRequest, IDryRunRequest
{
    /// <summary>Key id, key ARN, alias name or alias ARN of a symmetric key.</summary>
    public required string KeyId { get; init; }

    /// <summary>Bound to the encrypted copy.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContext { get; init; }

    /// <summary>1-1024 bytes.</summary>
    public int? NumberOfBytes { get; init; }

    /// <summary>AES_128 or AES_256.</summary>
    public DataKeySpec? KeySpec { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>

    [Sensitive]
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>GenerateDataKeyWithoutPlaintext response.</summary>
public sealed record GenerateDataKeyWithoutPlaintextResponse
{
    /// <summary>The data key encrypted under the KMS key.</summary>
    public required ReadOnlyMemory<byte> CiphertextBlob { get; init; }

    /// <summary>ARN of the key that encrypted the data key.</summary>
    public required string KeyId { get; init; }
}
