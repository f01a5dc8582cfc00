namespace Vaultlib.Keys;

/// <summary>
/// The root of every error <see cref="IKeyService"/> raises, validation and access-denied errors
/// included (as every error of the AWS SDK's KMS client derives from
/// <c>AmazonKeyManagementServiceException</c>). Every subclass has public constructors, so test
/// doubles of <see cref="IKeyService"/> can throw exactly what Vaultlib throws.
/// </summary>
public abstract class KeyManagementException : VaultlibException
{
    /// <summary>Creates an error with AWS's <paramref name="errorCode"/>.</summary>
    protected KeyManagementException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}

/// <summary>
/// A request member is missing, malformed or out of its allowed range. The message names the
/// member and what it allows. AWS error code <c>ValidationException</c>.
/// </summary>
public sealed class ValidationException : KeyManagementException
{
    /// <summary>Creates the error for <paramref name="memberName"/>.</summary>
    public ValidationException(string memberName, string message)
        : base("ValidationException", message)
    {
        MemberName = memberName;
    }

    /// <summary>The request member at fault, as AWS names it (e.g. <c>NumberOfBytes</c>).</summary>
    public string MemberName { get; }
}

/// <summary>
/// The caller is not allowed to perform the operation on the key, or the key refuses the operation
/// for everyone (as AWS managed keys refuse <c>DisableKey</c>). AWS error code <c>AccessDeniedException</c>.
/// </summary>
public sealed class AccessDeniedException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public AccessDeniedException(string message)
        : base("AccessDeniedException", message)
    {
    }
}

/// <summary>The request would have succeeded, but it set <c>DryRun</c>. AWS error code <c>DryRunOperationException</c>.</summary>
public sealed class DryRunOperationException : KeyManagementException
{
    /// <summary>Creates the error with AWS's message.</summary>
    public DryRunOperationException()
        : this(KmsErrors.DryRunMessage)
    {
    }

    /// <summary>Creates the error.</summary>
    public DryRunOperationException(string message)
        : base("DryRunOperationException", message)
    {
    }
}

/// <summary>
/// A key policy is not valid JSON, breaks the IAM policy grammar or its limits, or would lock the
/// caller out. The message names the place at fault (<see cref="Location"/>, e.g.
/// <c>Statement[1].Condition.StringEquals</c>). AWS error code <c>MalformedPolicyDocumentException</c>.
/// </summary>
public sealed class MalformedPolicyDocumentException : KeyManagementException
{
    /// <summary>Creates the error for the whole document.</summary>
    public MalformedPolicyDocumentException(string message)
        : this(string.Empty, message)
    {
    }

    /// <summary>Creates the error for the place <paramref name="location"/> of the document.</summary>
    public MalformedPolicyDocumentException(string location, string message)
        : base("MalformedPolicyDocumentException", location.Length == 0 ? message : $"{location}: {message}")
    {
        Location = location;
    }

    /// <summary>Where in the document the problem is (empty for the document as a whole).</summary>
    public string Location { get; }
}

/// <summary>The key or alias does not exist (or no longer exists). AWS <c>NotFoundException</c>.</summary>
public sealed class NotFoundException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public NotFoundException(string message)
        : base("NotFoundException", message)
    {
    }
}

/// <summary>The key is disabled. AWS <c>DisabledException</c>.</summary>
public sealed class DisabledException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public DisabledException(string message)
        : base("DisabledException", message)
    {
    }
}

/// <summary>The key's state does not allow the operation (e.g. PendingDeletion). AWS <c>KMSInvalidStateException</c>.</summary>
public sealed class KMSInvalidStateException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public KMSInvalidStateException(string message)
        : base("KMSInvalidStateException", message)
    {
    }
}

/// <summary>
/// The ciphertext cannot be decrypted: malformed, tampered, made under another encryption context,
/// or naming material that does not exist. Every such failure carries the same message, so the
/// error is no oracle. AWS <c>InvalidCiphertextException</c>.
/// </summary>
public sealed class InvalidCiphertextException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    internal const string StandardMessage = "The ciphertext is invalid, was tampered with, or its encryption context does not match.";

    /// <summary>Creates the error with AWS's message.</summary>
    public InvalidCiphertextException()
        : this(StandardMessage)
    {
    }

    /// <summary>Creates the error.</summary>
    public InvalidCiphertextException(string message)
        : base("InvalidCiphertextException", message)
    {
    }
}

/// <summary>The key named in the request is not the key that encrypted the ciphertext. AWS <c>IncorrectKeyException</c>.</summary>
public sealed class IncorrectKeyException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public IncorrectKeyException(string message)
        : base("IncorrectKeyException", message)
    {
    }
}

/// <summary>The key's usage or spec does not support the operation or algorithm. AWS <c>InvalidKeyUsageException</c>.</summary>
public sealed class InvalidKeyUsageException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public InvalidKeyUsageException(string message)
        : base("InvalidKeyUsageException", message)
    {
    }
}

/// <summary>An alias with that name already exists. AWS <c>AlreadyExistsException</c>.</summary>
public sealed class AlreadyExistsException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public AlreadyExistsException(string message)
        : base("AlreadyExistsException", message)
    {
    }
}

/// <summary>The alias name is malformed or reserved. AWS <c>InvalidAliasNameException</c>.</summary>
public sealed class InvalidAliasNameException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public InvalidAliasNameException(string message)
        : base("InvalidAliasNameException", message)
    {
    }
}

/// <summary>The operation is not supported for this key or configuration. AWS <c>UnsupportedOperationException</c>.</summary>
public sealed class UnsupportedOperationException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public UnsupportedOperationException(string message)
        : base("UnsupportedOperationException", message)
    {
    }
}

/// <summary>A quota was reached, e.g. more than 25 on-demand rotations of one key. AWS <c>LimitExceededException</c>.</summary>
public sealed class LimitExceededException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public LimitExceededException(string message)
        : base("LimitExceededException", message)
    {
    }
}

/// <summary>The paging marker was not one this service issued. AWS <c>InvalidMarkerException</c>.</summary>
public sealed class InvalidMarkerException : KeyManagementException
{
    /// <summary>Creates the error with AWS's message.</summary>
    public InvalidMarkerException()
        : this("The request was rejected because the marker that specifies where pagination should next begin is not valid.")
    {
    }

    /// <summary>Creates the error.</summary>
    public InvalidMarkerException(string message)
        : base("InvalidMarkerException", message)
    {
    }
}

/// <summary>An ARN is malformed. AWS <c>InvalidArnException</c>.</summary>
public sealed class InvalidArnException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public InvalidArnException(string message)
        : base("InvalidArnException", message)
    {
    }
}

/// <summary>A tag key or value is invalid, reserved or over the limit. AWS <c>TagException</c>.</summary>
public sealed class TagException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public TagException(string message)
        : base("TagException", message)
    {
    }
}

/// <summary>The signature does not verify. AWS <c>KMSInvalidSignatureException</c>.</summary>
public sealed class KMSInvalidSignatureException : KeyManagementException
{
    /// <summary>Creates the error with AWS's message.</summary>
    public KMSInvalidSignatureException()
        : this("The signature verification failed. Verify that the signature, message, key and signing algorithm are correct.")
    {
    }

    /// <summary>Creates the error.</summary>
    public KMSInvalidSignatureException(string message)
        : base("KMSInvalidSignatureException", message)
    {
    }
}

/// <summary>The MAC does not verify. AWS <c>KMSInvalidMacException</c>.</summary>
public sealed class KMSInvalidMacException : KeyManagementException
{
    /// <summary>Creates the error with AWS's message.</summary>
    public KMSInvalidMacException()
        : this("The MAC verification failed. Verify that the message, MAC, key and MAC algorithm are correct.")
    {
    }

    /// <summary>Creates the error.</summary>
    public KMSInvalidMacException(string message)
        : base("KMSInvalidMacException", message)
    {
    }
}

/// <summary>The grant token is not one this service issued. AWS <c>InvalidGrantTokenException</c>.</summary>
public sealed class InvalidGrantTokenException : KeyManagementException
{
    /// <summary>Creates the error with AWS's message.</summary>
    public InvalidGrantTokenException()
        : this("The request was rejected because the specified grant token is not valid.")
    {
    }

    /// <summary>Creates the error.</summary>
    public InvalidGrantTokenException(string message)
        : base("InvalidGrantTokenException", message)
    {
    }
}

/// <summary>The grant id is malformed or names no grant of the key. AWS <c>InvalidGrantIdException</c>.</summary>
public sealed class InvalidGrantIdException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public InvalidGrantIdException(string message)
        : base("InvalidGrantIdException", message)
    {
    }
}

/// <summary>The import token's 24 hours have passed; call GetParametersForImport again. AWS <c>ExpiredImportTokenException</c>.</summary>
public sealed class ExpiredImportTokenException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public ExpiredImportTokenException(string message)
        : base("ExpiredImportTokenException", message)
    {
    }
}

/// <summary>The import token is not one GetParametersForImport issued for this key. AWS <c>InvalidImportTokenException</c>.</summary>
public sealed class InvalidImportTokenException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public InvalidImportTokenException(string message)
        : base("InvalidImportTokenException", message)
    {
    }
}

/// <summary>The imported key material is not valid for the key, or is not the material imported before. AWS <c>IncorrectKeyMaterialException</c>.</summary>
public sealed class IncorrectKeyMaterialException : KeyManagementException
{
    /// <summary>Creates the error.</summary>
    public IncorrectKeyMaterialException(string message)
        : base("IncorrectKeyMaterialException", message)
    {
    }
}
