using Vaultlib.Pipeline;

namespace Vaultlib.Keys;

/// <summary>
/// Every KMS error message, written once. Shared faults (validation, dry run, malformed policy)
/// become KMS's own exception types here, so every error <see cref="IKeyService"/> raises derives
/// from <see cref="KeyManagementException"/>.
/// </summary>
internal sealed class KmsErrors : ServiceErrors
{
    public const string DryRunMessage = "The request would have succeeded, but the DryRun flag is set.";

    public static KmsErrors Instance { get; } = new();

    public override VaultlibException Validation(string memberName, string message) => new ValidationException(memberName, message);

    public override VaultlibException DryRun(string operationName) =>
        new DryRunOperationException($"The request for {operationName} would have succeeded, but the DryRun flag is set.");

    public override VaultlibException MalformedPolicy(string location, string message) => new MalformedPolicyDocumentException(location, message);

    public static NotFoundException KeyNotFound(string keyArn) => new($"Key '{keyArn}' does not exist");

    public static NotFoundException AliasNotFound(string aliasArn) => new($"Alias {aliasArn} is not found.");

    public static NotFoundException InvalidKeyId(string keyId) => new($"Invalid keyId '{keyId}'");

    public static InvalidArnException InvalidArn(string arn) => new($"Invalid arn {arn}");

    public static InvalidArnException AliasArnNotSupported() => new("Key Aliases are not supported for this operation.");

    public static KMSInvalidStateException PendingDeletion(string keyArn) => new($"{keyArn} is pending deletion.");

    public static KMSInvalidStateException NotPendingDeletion(string keyArn) => new($"{keyArn} is not pending deletion.");

    public static KMSInvalidStateException InvalidState(string keyArn, KeyState state) => new($"{keyArn} is {state}.");

    public static DisabledException Disabled(string keyArn) => new($"{keyArn} is disabled.");

    public static AccessDeniedException AwsManagedKey(string action, string keyArn) =>
        new($"User is not authorized to perform: {action} on resource: {keyArn} because the resource is an AWS managed key, and its key policy does not allow the action.");

    public static AccessDeniedException NotAuthorized(string principal, string action, string resourceArn, string reason) =>
        new($"User: {principal} is not authorized to perform: {action} on resource: {resourceArn} {reason}");

    public static InvalidKeyUsageException WrongUsage(string keyArn, KeyUsageType usage, string required) => new($"{keyArn} key usage is {usage}, not {required}.");

    public static InvalidKeyUsageException UnsupportedAlgorithm(string keyArn, string kind, object algorithm, string supported) =>
        new($"{keyArn} does not support {kind} {algorithm}; it supports {supported}.");

    public static UnsupportedOperationException NoRotation(string keyArn) =>
        new($"{keyArn} key usage or key spec does not support rotation; only SYMMETRIC_DEFAULT keys rotate.");

    public static TagException TooManyTags(int max, string keyArn, int count) => new($"A key can have at most {max} tags; this request would give {keyArn} {count}.");

    public static InvalidGrantIdException NotAGrantOf(string grantId, string keyArn) => new($"Grant ID {grantId} is not a grant of {keyArn}.");

    public static AlreadyExistsException AliasExists(string aliasArn) => new($"An alias with the name {aliasArn} already exists");
}
