namespace Vaultlib;

/// <summary>
/// The root of every error Vaultlib raises on purpose. Each subclass carries the error name AWS
/// uses for the same case (<see cref="ErrorCode"/>), so code written against the AWS SDK can map
/// its <c>catch</c> clauses over line for line.
/// </summary>
/// <remarks>
/// Messages never contain secret bytes: plaintexts, key material, data keys and secret values are
/// never formatted into an exception. Identifiers (key ids, ARNs, aliases, names) may appear.
/// </remarks>
public abstract class VaultlibException : Exception
{
    private protected VaultlibException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The AWS error code for this error, e.g. <c>NotFoundException</c> or <c>ParameterNotFound</c>.</summary>
    public string ErrorCode { get; }
}

/// <summary>
/// A request member is missing, malformed or out of its allowed range. The message names the
/// member and what it allows. AWS error code <c>ValidationException</c>.
/// </summary>
public sealed class ValidationException : VaultlibException
{
    internal ValidationException(string memberName, string message)
        : base("ValidationException", message)
    {
        MemberName = memberName;
    }

    /// <summary>The request member at fault, as AWS names it (e.g. <c>NumberOfBytes</c>).</summary>
    public string MemberName { get; }
}

/// <summary>
/// The caller is not allowed to perform the operation on the resource, or the resource refuses the
/// operation for everyone (as AWS managed keys refuse <c>DisableKey</c>). AWS error code
/// <c>AccessDeniedException</c>.
/// </summary>
public sealed class AccessDeniedException : VaultlibException
{
    internal AccessDeniedException(string message)
        : base("AccessDeniedException", message)
    {
    }
}

/// <summary>
/// The request would have succeeded, but it set <c>DryRun</c>. AWS error code
/// <c>DryRunOperationException</c>.
/// </summary>
public sealed class DryRunOperationException : VaultlibException
{
    internal DryRunOperationException(string operation)
        : base("DryRunOperationException", $"The request for {operation} would have succeeded, but the DryRun flag is set.")
    {
    }
}

/// <summary>
/// A policy document (a KMS key policy, a resource or identity policy) is not valid JSON, breaks
/// the IAM policy grammar or exceeds its limits. The message names the place at fault
/// (<see cref="Location"/>, e.g. <c>Statement[1].Condition.StringEquals</c>). AWS error code
/// <c>MalformedPolicyDocumentException</c>, used by KMS and Secrets Manager alike.
/// </summary>
public sealed class MalformedPolicyDocumentException : VaultlibException
{
    internal MalformedPolicyDocumentException(string location, string message)
        : base("MalformedPolicyDocumentException", location.Length == 0 ? message : $"{location}: {message}")
    {
        Location = location;
    }

    /// <summary>Where in the document the problem is (empty for the document as a whole).</summary>
    public string Location { get; }
}
