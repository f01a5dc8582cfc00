namespace Vaultlib.Authorization;

/// <summary>
/// Who is calling and how: the principal (an IAM ARN, or a service principal) and the request facts
/// that conditions test (<c>aws:SecureTransport</c>, <c>aws:SourceIp</c>, <c>kms:ViaService</c>,
/// <c>aws:MultiFactorAuthPresent</c>, <c>aws:PrincipalTag/*</c>, <c>aws:UserAgent</c>). It travels
/// with every request, explicitly: bind it to a service with <c>AsCaller</c>, or for a block of
/// code with <see cref="VaultlibCaller.Use"/>.
/// </summary>
public sealed record CallerIdentity
{
    /// <summary>The principal: <c>arn:aws:iam::111122223333:role/app</c>, <c>arn:aws:iam::111122223333:root</c>, or <c>ssm.amazonaws.com</c>.</summary>
    public required string Principal { get; init; }

    /// <summary>Whether the request came over TLS (<c>aws:SecureTransport</c>). Default true.</summary>
    public bool SecureTransport { get; init; } = true;

    /// <summary>The caller's address (<c>aws:SourceIp</c>).</summary>
    public string? SourceIp { get; init; }

    /// <summary>The service the call came through, e.g. <c>ssm.us-east-1.amazonaws.com</c> (<c>kms:ViaService</c>).</summary>
    public string? ViaService { get; init; }

    /// <summary>Whether the caller signed in with MFA (<c>aws:MultiFactorAuthPresent</c>); null when unknown, as for long-term keys.</summary>
    public bool? MultiFactorAuthPresent { get; init; }

    /// <summary>The tags of the calling principal (<c>aws:PrincipalTag/&lt;key&gt;</c>).</summary>
    public IReadOnlyDictionary<string, string>? PrincipalTags { get; init; }

    /// <summary>The caller's unique id (<c>aws:userid</c>), e.g. <c>AIDAJQABLZS4A3QDU576Q</c> for a user or <c>AROAEXAMPLE:session</c> for a role session; absent when unknown.</summary>
    public string? UserId { get; init; }

    /// <summary>The VPC endpoint the request came through (<c>aws:SourceVpce</c>), e.g. <c>vpce-1a2b3c4d</c>.</summary>
    public string? SourceVpce { get; init; }

    /// <summary>The caller's user agent (<c>aws:UserAgent</c>).</summary>
    public string? UserAgent { get; init; }

    /// <summary>The account of the principal, or null for a service principal.</summary>
    public string? Account => PolicyEvaluator.AccountOf(Principal);

    /// <summary>The root of <paramref name="options"/>' account: the caller of applications that do not say.</summary>
    public static CallerIdentity AccountRoot(VaultlibOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CallerIdentity { Principal = $"arn:{options.Partition}:iam::{options.AccountId}:root" };
    }
}

/// <summary>
/// The ambient caller: every Vaultlib call made inside <see cref="Use"/> runs as that caller
/// (flowing across awaits); outside, calls run as the account root.
/// </summary>
public static class VaultlibCaller
{
    private static readonly AsyncLocal<CallerIdentity?> s_current = new();

    /// <summary>The caller set by the innermost <see cref="Use"/>, or null.</summary>
    public static CallerIdentity? Current => s_current.Value;

    /// <summary>Runs the calls made until the returned scope is disposed as <paramref name="caller"/>.</summary>
    public static IDisposable Use(CallerIdentity caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        CallerIdentity? previous = s_current.Value;
        s_current.Value = caller;
        return new Scope(previous);
    }

    private sealed class Scope(CallerIdentity? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_current.Value = previous;
            }
        }
    }
}
