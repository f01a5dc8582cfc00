namespace Vaultlib.Certificates.Acm;

/// <summary>
/// The root of every error <see cref="ICertificateManager"/> raises (as every error of the AWS SDK's ACM client derives
/// from <c>AmazonCertificateManagerException</c>). <see cref="VaultlibException.ErrorCode"/> is AWS's name for the case.
/// Every subclass has a public constructor, so test doubles can throw exactly what Vaultlib throws.
/// </summary>
public abstract class CertificateManagerException : VaultlibException
{
    /// <summary>Creates an error with AWS's <paramref name="errorCode"/>.</summary>
    protected CertificateManagerException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}

/// <summary>A request member is missing, malformed or out of range. AWS <c>ValidationException</c>.</summary>
public sealed class ValidationException(string memberName, string message) : CertificateManagerException("ValidationException", message)
{
    /// <summary>The request member at fault, as AWS names it.</summary>
    public string MemberName { get; } = memberName;
}

/// <summary>A parameter is not valid for the request (a key algorithm the CA cannot sign, tags on a re-import). AWS <c>InvalidParameterException</c>.</summary>
public sealed class InvalidParameterException(string message) : CertificateManagerException("InvalidParameterException", message);

/// <summary>ListCertificates' arguments do not fit together. AWS <c>InvalidArgsException</c>.</summary>
public sealed class InvalidArgsException(string message) : CertificateManagerException("InvalidArgsException", message);

/// <summary>An ARN is malformed or names another service, Region or account. AWS <c>InvalidArnException</c>.</summary>
public sealed class InvalidArnException(string message) : CertificateManagerException("InvalidArnException", message);

/// <summary>No such certificate. AWS <c>ResourceNotFoundException</c>.</summary>
public sealed class ResourceNotFoundException(string message) : CertificateManagerException("ResourceNotFoundException", message);

/// <summary>The certificate is not issued yet. AWS <c>RequestInProgressException</c>.</summary>
public sealed class RequestInProgressException(string message) : CertificateManagerException("RequestInProgressException", message);

/// <summary>The certificate is in use by a resource. AWS <c>ResourceInUseException</c>.</summary>
public sealed class ResourceInUseException(string message) : CertificateManagerException("ResourceInUseException", message);

/// <summary>The certificate is not in a state the operation allows. AWS <c>InvalidStateException</c>.</summary>
public sealed class InvalidStateException(string message) : CertificateManagerException("InvalidStateException", message);

/// <summary>A domain or validation domain is not one the certificate validates. AWS <c>InvalidDomainValidationOptionsException</c>.</summary>
public sealed class InvalidDomainValidationOptionsException(string message) : CertificateManagerException("InvalidDomainValidationOptionsException", message);

/// <summary>A quota is reached (domain names per certificate). AWS <c>LimitExceededException</c>.</summary>
public sealed class LimitExceededException(string message) : CertificateManagerException("LimitExceededException", message);

/// <summary>The certificate would have more than 50 tags. AWS <c>TooManyTagsException</c>.</summary>
public sealed class TooManyTagsException(string message) : CertificateManagerException("TooManyTagsException", message);

/// <summary>A tag key or value breaks AWS's rules. AWS <c>InvalidTagException</c>.</summary>
public sealed class InvalidTagException(string message) : CertificateManagerException("InvalidTagException", message);

/// <summary>The caller may not perform the action. AWS <c>AccessDeniedException</c>.</summary>
public sealed class AccessDeniedException(string message) : CertificateManagerException("AccessDeniedException", message);

/// <summary>The certificate changed while the request ran, or is already what was asked (revoked twice). AWS <c>ConflictException</c>.</summary>
public sealed class ConflictException(string message) : CertificateManagerException("ConflictException", message);
