namespace Vaultlib.Secrets;

/// <summary>
/// The root of every error <see cref="ISecretStore"/> raises (as every error of the AWS SDK's Secrets Manager client
/// derives from <c>AmazonSecretsManagerException</c>). <see cref="VaultlibException.ErrorCode"/> is AWS's name for the
/// case. Every subclass has a public constructor, so test doubles can throw exactly what Vaultlib throws.
/// </summary>
public abstract class SecretsManagerException : VaultlibException
{
    /// <summary>Creates an error with AWS's <paramref name="errorCode"/>.</summary>
    protected SecretsManagerException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}

/// <summary>
/// A request member is missing, malformed or out of range, or the request does not fit the secret (a replica, a
/// primary with replicas). AWS <c>InvalidParameterException</c>.
/// </summary>
public sealed class InvalidParameterException(string memberName, string message) : SecretsManagerException("InvalidParameterException", message)
{
    /// <summary>The request member at fault, as AWS names it (empty when the fault is the secret's state).</summary>
    public string MemberName { get; } = memberName;
}

/// <summary>
/// The request is not valid for the secret's state: it is scheduled for deletion, a rotation is already in
/// progress, it has no rotation function. AWS <c>InvalidRequestException</c>.
/// </summary>
public sealed class InvalidRequestException(string message) : SecretsManagerException("InvalidRequestException", message);

/// <summary>No secret, version or staging label matches. AWS <c>ResourceNotFoundException</c>.</summary>
public sealed class ResourceNotFoundException(string message) : SecretsManagerException("ResourceNotFoundException", message);

/// <summary>A secret of the name, or a version of the token with another value, exists. AWS <c>ResourceExistsException</c>.</summary>
public sealed class ResourceExistsException(string message) : SecretsManagerException("ResourceExistsException", message);

/// <summary>A quota is reached (versions, labels, tags). AWS <c>LimitExceededException</c>.</summary>
public sealed class LimitExceededException(string message) : SecretsManagerException("LimitExceededException", message);

/// <summary>KMS could not encrypt the value with the secret's key. AWS <c>EncryptionFailure</c>.</summary>
public sealed class EncryptionFailureException(string message) : SecretsManagerException("EncryptionFailure", message);

/// <summary>KMS could not decrypt the value with the secret's key. AWS <c>DecryptionFailure</c>.</summary>
public sealed class DecryptionFailureException(string message) : SecretsManagerException("DecryptionFailure", message);

/// <summary>A resource policy does not parse or breaks a limit. AWS <c>MalformedPolicyDocumentException</c>.</summary>
public sealed class MalformedPolicyDocumentException(string message) : SecretsManagerException("MalformedPolicyDocumentException", message);

/// <summary>A resource policy would grant public access while <c>BlockPublicPolicy</c> is set. AWS <c>PublicPolicyException</c>.</summary>
public sealed class PublicPolicyException(string message) : SecretsManagerException("PublicPolicyException", message);

/// <summary>The <c>NextToken</c> is not one this store issued. AWS <c>InvalidNextTokenException</c>.</summary>
public sealed class InvalidNextTokenException(string message) : SecretsManagerException("InvalidNextTokenException", message);

/// <summary>The caller may not perform the action. AWS <c>AccessDeniedException</c>.</summary>
public sealed class AccessDeniedException(string message) : SecretsManagerException("AccessDeniedException", message);

/// <summary>A request member breaks the model's constraints (a length, a range, a pattern). AWS's common <c>ValidationException</c>.</summary>
public sealed class ValidationException(string memberName, string message) : SecretsManagerException("ValidationException", message)
{
    /// <summary>The request member at fault, as AWS names it.</summary>
    public string MemberName { get; } = memberName;
}
