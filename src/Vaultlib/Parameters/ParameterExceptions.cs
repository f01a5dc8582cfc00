namespace Vaultlib.Parameters;

/// <summary>
/// The root of every error <see cref="IParameterStore"/> raises (as every error of the AWS SDK's SSM
/// client derives from <c>AmazonSimpleSystemsManagementException</c>). <see cref="VaultlibException.ErrorCode"/>
/// is AWS's name for the case (SSM spells many without "Exception", e.g. <c>ParameterNotFound</c>).
/// Every subclass has a public constructor, so test doubles can throw exactly what Vaultlib throws.
/// </summary>
public abstract class ParameterStoreException : VaultlibException
{
    /// <summary>Creates an error with AWS's <paramref name="errorCode"/>.</summary>
    protected ParameterStoreException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}

/// <summary>A request member is missing, malformed or out of range. AWS <c>ValidationException</c>.</summary>
public sealed class ValidationException(string memberName, string message) : ParameterStoreException("ValidationException", message)
{
    /// <summary>The request member at fault, as AWS names it.</summary>
    public string MemberName { get; } = memberName;
}

/// <summary>The caller may not perform the action, or KMS refused the key operation behind it. AWS <c>AccessDeniedException</c>.</summary>
public sealed class AccessDeniedException(string message) : ParameterStoreException("AccessDeniedException", message);

/// <summary>No parameter has the name. AWS <c>ParameterNotFound</c>.</summary>
public sealed class ParameterNotFoundException(string message) : ParameterStoreException("ParameterNotFound", message);

/// <summary>The version or label selected does not exist. AWS <c>ParameterVersionNotFound</c>.</summary>
public sealed class ParameterVersionNotFoundException(string message) : ParameterStoreException("ParameterVersionNotFound", message);

/// <summary>A parameter of the name exists and <c>Overwrite</c> was not set. AWS <c>ParameterAlreadyExists</c>.</summary>
public sealed class ParameterAlreadyExistsException(string message) : ParameterStoreException("ParameterAlreadyExists", message);

/// <summary>The account's parameter quota for the tier is reached. AWS <c>ParameterLimitExceeded</c>.</summary>
public sealed class ParameterLimitExceededException(string message) : ParameterStoreException("ParameterLimitExceeded", message);

/// <summary>The parameter has 100 versions and the oldest has a label. AWS <c>ParameterMaxVersionLimitExceeded</c>.</summary>
public sealed class ParameterMaxVersionLimitExceededException(string message) : ParameterStoreException("ParameterMaxVersionLimitExceeded", message);

/// <summary>A version would have more than 10 labels. AWS <c>ParameterVersionLabelLimitExceeded</c>.</summary>
public sealed class ParameterVersionLabelLimitExceededException(string message) : ParameterStoreException("ParameterVersionLabelLimitExceeded", message);

/// <summary>A name is not valid, or a value does not match the parameter's <c>AllowedPattern</c>. AWS <c>ParameterPatternMismatchException</c>.</summary>
public sealed class ParameterPatternMismatchException(string message) : ParameterStoreException("ParameterPatternMismatchException", message);

/// <summary>The <c>AllowedPattern</c> is not a valid regular expression. AWS <c>InvalidAllowedPatternException</c>.</summary>
public sealed class InvalidAllowedPatternException(string message) : ParameterStoreException("InvalidAllowedPatternException", message);

/// <summary>A name has more than 15 levels. AWS <c>HierarchyLevelLimitExceededException</c>.</summary>
public sealed class HierarchyLevelLimitExceededException(string message) : ParameterStoreException("HierarchyLevelLimitExceededException", message);

/// <summary>The type of an existing parameter cannot change. AWS <c>HierarchyTypeMismatchException</c>.</summary>
public sealed class HierarchyTypeMismatchException(string message) : ParameterStoreException("HierarchyTypeMismatchException", message);

/// <summary>The KMS key is not usable for a SecureString. AWS <c>InvalidKeyId</c>.</summary>
public sealed class InvalidKeyIdException(string message) : ParameterStoreException("InvalidKeyId", message);

/// <summary>The type is not one SSM supports. AWS <c>UnsupportedParameterType</c>.</summary>
public sealed class UnsupportedParameterTypeException(string message) : ParameterStoreException("UnsupportedParameterType", message);

/// <summary>A filter key is not valid for the operation. AWS <c>InvalidFilterKey</c>.</summary>
public sealed class InvalidFilterKeyException(string message) : ParameterStoreException("InvalidFilterKey", message);

/// <summary>A filter option is not valid for its key. AWS <c>InvalidFilterOption</c>.</summary>
public sealed class InvalidFilterOptionException(string message) : ParameterStoreException("InvalidFilterOption", message);

/// <summary>A filter value is not valid. AWS <c>InvalidFilterValue</c>.</summary>
public sealed class InvalidFilterValueException(string message) : ParameterStoreException("InvalidFilterValue", message);

/// <summary>The <c>NextToken</c> was not issued by this operation. AWS <c>InvalidNextToken</c>.</summary>
public sealed class InvalidNextTokenException(string message) : ParameterStoreException("InvalidNextToken", message);

/// <summary>The tagged resource does not exist. AWS <c>InvalidResourceId</c>.</summary>
public sealed class InvalidResourceIdException(string message) : ParameterStoreException("InvalidResourceId", message);

/// <summary>The tagged resource type is not <c>Parameter</c>. AWS <c>InvalidResourceType</c>.</summary>
public sealed class InvalidResourceTypeException(string message) : ParameterStoreException("InvalidResourceType", message);

/// <summary>A parameter would have more than 50 tags. AWS <c>TooManyTagsError</c>.</summary>
public sealed class TooManyTagsErrorException(string message) : ParameterStoreException("TooManyTagsError", message);

/// <summary>A policy's <c>Type</c> is not Expiration, ExpirationNotification or NoChangeNotification. AWS <c>InvalidPolicyTypeException</c>.</summary>
public sealed class InvalidPolicyTypeException(string message) : ParameterStoreException("InvalidPolicyTypeException", message);

/// <summary>A policy's attributes are missing or out of range. AWS <c>InvalidPolicyAttributeException</c>.</summary>
public sealed class InvalidPolicyAttributeException(string message) : ParameterStoreException("InvalidPolicyAttributeException", message);

/// <summary>The policies conflict (two of a type, a notification with no expiration). AWS <c>IncompatiblePolicyException</c>.</summary>
public sealed class IncompatiblePolicyException(string message) : ParameterStoreException("IncompatiblePolicyException", message);

/// <summary>More than 10 policies. AWS <c>PoliciesLimitExceededException</c>.</summary>
public sealed class PoliciesLimitExceededException(string message) : ParameterStoreException("PoliciesLimitExceededException", message);
