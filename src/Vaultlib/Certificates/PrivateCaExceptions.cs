namespace Vaultlib.Certificates;

/// <summary>
/// The root of every error <see cref="ICertificateAuthority"/> raises (as every error of the AWS SDK's ACM Private CA
/// client derives from <c>AmazonACMPCAException</c>). <see cref="VaultlibException.ErrorCode"/> is AWS's name for the
/// case. Every subclass has a public constructor, so test doubles can throw exactly what Vaultlib throws.
/// </summary>
public abstract class PrivateCaException : VaultlibException
{
    /// <summary>Creates an error with AWS's <paramref name="errorCode"/>.</summary>
    protected PrivateCaException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}

/// <summary>A request member is missing, malformed or out of range. AWS <c>InvalidArgsException</c>.</summary>
public sealed class InvalidArgsException(string memberName, string message) : PrivateCaException("InvalidArgsException", message)
{
    /// <summary>The request member at fault, as AWS names it.</summary>
    public string MemberName { get; } = memberName;
}

/// <summary>An ARN is malformed or names another service, Region or account. AWS <c>InvalidArnException</c>.</summary>
public sealed class InvalidArnException(string message) : PrivateCaException("InvalidArnException", message);

/// <summary>No such CA or certificate. AWS <c>ResourceNotFoundException</c>.</summary>
public sealed class ResourceNotFoundException(string message) : PrivateCaException("ResourceNotFoundException", message);

/// <summary>The CA is not in a state the operation allows (not ACTIVE, already has its certificate, deleted). AWS <c>InvalidStateException</c>.</summary>
public sealed class InvalidStateException(string message) : PrivateCaException("InvalidStateException", message);

/// <summary>The request does not fit (a chain a subordinate CA needs is missing). AWS <c>InvalidRequestException</c>.</summary>
public sealed class InvalidRequestException(string message) : PrivateCaException("InvalidRequestException", message);

/// <summary>The certificate signing request does not parse or its signature does not verify. AWS <c>MalformedCSRException</c>.</summary>
public sealed class MalformedCSRException(string message) : PrivateCaException("MalformedCSRException", message);

/// <summary>A certificate (or chain) given to import does not parse. AWS <c>MalformedCertificateException</c>.</summary>
public sealed class MalformedCertificateException(string message) : PrivateCaException("MalformedCertificateException", message);

/// <summary>The certificate to import is not the CA's: another key or subject, or a chain it does not verify against. AWS <c>CertificateMismatchException</c>.</summary>
public sealed class CertificateMismatchException(string message) : PrivateCaException("CertificateMismatchException", message);

/// <summary>The certificate was already revoked. AWS <c>RequestAlreadyProcessedException</c>.</summary>
public sealed class RequestAlreadyProcessedException(string message) : PrivateCaException("RequestAlreadyProcessedException", message);

/// <summary>The certificate is not issued yet. AWS <c>RequestInProgressException</c>.</summary>
public sealed class RequestInProgressException(string message) : PrivateCaException("RequestInProgressException", message);

/// <summary>A quota is reached (tags, CAs). AWS <c>LimitExceededException</c>.</summary>
public sealed class LimitExceededException(string message) : PrivateCaException("LimitExceededException", message);

/// <summary>A tag key or value breaks AWS's rules. AWS <c>InvalidTagException</c>.</summary>
public sealed class InvalidTagException(string message) : PrivateCaException("InvalidTagException", message);

/// <summary>The page token was not issued by this service. AWS <c>InvalidNextTokenException</c>.</summary>
public sealed class InvalidNextTokenException(string message) : PrivateCaException("InvalidNextTokenException", message);

/// <summary>A resource policy does not parse. AWS <c>InvalidPolicyException</c>.</summary>
public sealed class InvalidPolicyException(string message) : PrivateCaException("InvalidPolicyException", message);

/// <summary>The caller may not perform the action. AWS <c>AccessDeniedException</c>.</summary>
public sealed class AccessDeniedException(string message) : PrivateCaException("AccessDeniedException", message);

/// <summary>The CA would have more than 50 tags. AWS <c>TooManyTagsException</c>.</summary>
public sealed class TooManyTagsException(string message) : PrivateCaException("TooManyTagsException", message);
