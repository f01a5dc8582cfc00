namespace Vaultlib.Parameters;

/// <summary>GetParameter request.</summary>
public sealed record GetParameterRequest
{
    /// <summary>The name, or the name with a selector: <c>name:3</c> (a version) or <c>name:label</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Decrypt a SecureString (needs <c>kms:Decrypt</c> on its key); without it the value is the ciphertext.</summary>
    public bool? WithDecryption { get; init; }
}

/// <summary>GetParameter response.</summary>
public sealed record GetParameterResponse
{
    /// <summary>The parameter.</summary>
    public required Parameter Parameter { get; init; }
}
