namespace Vaultlib.Keys;

/// <summary>GenerateRandom request.</summary>
public sealed record GenerateRandomRequest
{
    /// <summary>1-1024 bytes.</summary>
    public required int NumberOfBytes { get; init; }
}

/// <summary>GenerateRandom response.</summary>
public sealed record GenerateRandomResponse
{
    /// <summary>Random bytes from the system CSPRNG.</summary>
    public required ReadOnlyMemory<byte> Plaintext { get; init; }
}
