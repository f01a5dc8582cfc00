namespace Vaultlib.Keys;

/// <summary>An operation a grant permits (AWS <c>GrantOperation</c>).</summary>
public enum GrantOperation
{
    /// <summary>Decrypt.</summary>
    Decrypt,

    /// <summary>Encrypt.</summary>
    Encrypt,

    /// <summary>GenerateDataKey.</summary>
    GenerateDataKey,

    /// <summary>GenerateDataKeyWithoutPlaintext.</summary>
    GenerateDataKeyWithoutPlaintext,

    /// <summary>ReEncrypt from this key.</summary>
    ReEncryptFrom,

    /// <summary>ReEncrypt to this key.</summary>
    ReEncryptTo,

    /// <summary>Sign.</summary>
    Sign,

    /// <summary>Verify.</summary>
    Verify,

    /// <summary>GetPublicKey.</summary>
    GetPublicKey,

    /// <summary>CreateGrant.</summary>
    CreateGrant,

    /// <summary>RetireGrant.</summary>
    RetireGrant,

    /// <summary>DescribeKey.</summary>
    DescribeKey,

    /// <summary>GenerateDataKeyPair.</summary>
    GenerateDataKeyPair,

    /// <summary>GenerateDataKeyPairWithoutPlaintext.</summary>
    GenerateDataKeyPairWithoutPlaintext,

    /// <summary>GenerateMac.</summary>
    GenerateMac,

    /// <summary>VerifyMac.</summary>
    VerifyMac,

    /// <summary>DeriveSharedSecret.</summary>
    DeriveSharedSecret,
}

/// <summary>Encryption context a grant requires (AWS <c>GrantConstraints</c>): exactly these pairs, or at least these.</summary>
public sealed record GrantConstraints
{
    /// <summary>The request's context must equal this exactly.</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContextEquals { get; init; }

    /// <summary>The request's context must contain these pairs (and may have more).</summary>
    public IReadOnlyDictionary<string, string>? EncryptionContextSubset { get; init; }
}

/// <summary>CreateGrant request.</summary>
public sealed record CreateGrantRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Who the grant is for (an IAM ARN or a service principal).</summary>
    public required string GranteePrincipal { get; init; }

    /// <summary>Who may retire the grant.</summary>
    public string? RetiringPrincipal { get; init; }

    /// <summary>The operations the grant permits (at least one).</summary>
    public required IReadOnlyList<GrantOperation> Operations { get; init; }

    /// <summary>Encryption context the grant requires.</summary>
    public GrantConstraints? Constraints { get; init; }

    /// <summary>Grant tokens (up to 10).</summary>
    public IReadOnlyList<string>? GrantTokens { get; init; }

    /// <summary>A name; creating a grant with the same name and parameters returns the same grant.</summary>
    public string? Name { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>CreateGrant response.</summary>
public sealed record CreateGrantResponse
{
    /// <summary>A token the grantee may pass in GrantTokens; grants here are effective at once.</summary>
    public required string GrantToken { get; init; }

    /// <summary>The grant id.</summary>
    public required string GrantId { get; init; }
}

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

/// <summary>ListGrants request.</summary>
public sealed record ListGrantsRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>Only this grant.</summary>
    public string? GrantId { get; init; }

    /// <summary>Only grants for this principal.</summary>
    public string? GranteePrincipal { get; init; }

    /// <summary>Page size, 1-100 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's NextMarker.</summary>
    public string? Marker { get; init; }
}

/// <summary>ListGrants and ListRetirableGrants response.</summary>
public sealed record ListGrantsResponse
{
    /// <summary>The grants on this page.</summary>
    public required IReadOnlyList<GrantListEntry> Grants { get; init; }

    /// <summary>Pass as Marker for the next page.</summary>
    public string? NextMarker { get; init; }

    /// <summary>True when there are more pages.</summary>
    public required bool Truncated { get; init; }
}

/// <summary>ListRetirableGrants request.</summary>
public sealed record ListRetirableGrantsRequest
{
    /// <summary>The retiring principal.</summary>
    public required string RetiringPrincipal { get; init; }

    /// <summary>Page size, 1-100 (default 50).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's NextMarker.</summary>
    public string? Marker { get; init; }
}

/// <summary>RetireGrant request: the grant token, or the key and grant id.</summary>
public sealed record RetireGrantRequest
{
    /// <summary>The grant's token.</summary>
    public string? GrantToken { get; init; }

    /// <summary>Key ARN (with <see cref="GrantId"/>).</summary>
    public string? KeyId { get; init; }

    /// <summary>The grant id (with <see cref="KeyId"/>).</summary>
    public string? GrantId { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>RetireGrant response (empty).</summary>
public sealed record RetireGrantResponse;

/// <summary>RevokeGrant request.</summary>
public sealed record RevokeGrantRequest
{
    /// <summary>Key id or key ARN.</summary>
    public required string KeyId { get; init; }

    /// <summary>The grant id.</summary>
    public required string GrantId { get; init; }

    /// <summary>Check the request and permissions only.</summary>
    public bool? DryRun { get; init; }
}

/// <summary>RevokeGrant response (empty).</summary>
public sealed record RevokeGrantResponse;
