using Vaultlib.Authorization;

namespace Vaultlib.Pipeline;

/// <summary>
/// A service's error factory for the errors that shared code raises without knowing the service:
/// a request member out of range, a malformed policy document, a dry run. Each service turns them
/// into its own exception types, so that every error of a service derives from that service's
/// base exception (catching <c>KeyManagementException</c> catches validation errors too).
/// </summary>
internal abstract class ServiceErrors
{
    /// <summary>A member is missing or out of range.</summary>
    public abstract VaultlibException Validation(string memberName, string message);

    /// <summary>The request would have succeeded, but it set <c>DryRun</c>.</summary>
    public abstract VaultlibException DryRun(string operationName);

    /// <summary>A policy document does not parse or breaks a limit.</summary>
    public abstract VaultlibException MalformedPolicy(string location, string message);

    /// <summary>The exception the caller sees for <paramref name="error"/>: shared faults become the service's own types; anything else is unchanged.</summary>
    public Exception Translate(Exception error) => error switch
    {
        RequestFault fault => Validation(fault.MemberName, fault.Message),
        PolicyDocumentException policy => MalformedPolicy(policy.Location, policy.Detail),
        _ => error,
    };
}

/// <summary>
/// A request member that shared validation code (<see cref="Internal.Validate"/>, the encryption
/// context encoder) refuses. Never seen by callers: the pipeline, or the component that called the
/// shared code, turns it into its own validation error.
/// </summary>
internal sealed class RequestFault(string memberName, string message) : Exception(message)
{
    /// <summary>The request member at fault, as AWS names it.</summary>
    public string MemberName { get; } = memberName;
}
