namespace Vaultlib;

/// <summary>
/// The root of every error Vaultlib raises on purpose. Each service has its own base beneath it
/// (<c>KeyManagementException</c> for KMS, <c>AwsCryptoException</c> for envelope encryption), and
/// each concrete error carries the name AWS uses for the same case (<see cref="ErrorCode"/>).
/// </summary>
/// <remarks>
/// Messages never contain secret bytes: plaintexts, key material, data keys and secret values are
/// never formatted into an exception. Identifiers (key ids, ARNs, aliases, names) may appear.
/// </remarks>
public abstract class VaultlibException : Exception
{
    /// <summary>Creates an error with AWS's <paramref name="errorCode"/>.</summary>
    protected VaultlibException(string errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorCode);
        ErrorCode = errorCode;
    }

    /// <summary>The AWS error code for this error, e.g. <c>NotFoundException</c> or <c>ParameterNotFound</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>What logs, audit records, metrics and spans call <paramref name="error"/>: its AWS error code, else its type's name (never its message).</summary>
    internal static string CodeOf(Exception error) => (error as VaultlibException)?.ErrorCode ?? error.GetType().Name;
}
