using Vaultlib.Audit;

namespace Vaultlib.Secrets;

/// <summary>GetRandomPassword request.</summary>
public sealed record GetRandomPasswordRequest
{
    /// <summary>The length, 1-4096 (default 32).</summary>
    public long? PasswordLength { get; init; }

    /// <summary>Characters never to use (at most 4096).</summary>
    public string? ExcludeCharacters { get; init; }

    /// <summary>No digits.</summary>
    public bool? ExcludeNumbers { get; init; }

    /// <summary>No punctuation (<c>!"#$%&amp;'()*+,-./:;&lt;=&gt;?@[\]^_`{|}~</c>).</summary>
    public bool? ExcludePunctuation { get; init; }

    /// <summary>No uppercase letters.</summary>
    public bool? ExcludeUppercase { get; init; }

    /// <summary>No lowercase letters.</summary>
    public bool? ExcludeLowercase { get; init; }

    /// <summary>Whether the space character may appear.</summary>
    public bool? IncludeSpace { get; init; }

    /// <summary>At least one character of every type included (default true).</summary>
    public bool? RequireEachIncludedType { get; init; }
}

/// <summary>GetRandomPassword response.</summary>
public sealed record GetRandomPasswordResponse
{
    /// <summary>The password, exactly the length asked for.</summary>
    [Sensitive]
    public required string RandomPassword { get; init; }

    // The generated ToString would print the password; a record's PrintMembers must be an instance method.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The record's PrintMembers contract.")]
    private bool PrintMembers(System.Text.StringBuilder builder) => false;
}
