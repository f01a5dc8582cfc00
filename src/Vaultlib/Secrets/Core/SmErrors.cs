using Vaultlib.Pipeline;

namespace Vaultlib.Secrets;

/// <summary>Shared faults as Secrets Manager's own exception types, so every error it raises derives from <see cref="SecretsManagerException"/>.</summary>
internal sealed class SmErrors : ServiceErrors
{
    public static SmErrors Instance { get; } = new();

    public override VaultlibException Validation(string memberName, string message) => new ValidationException(memberName, message);

    public override VaultlibException DryRun(string operationName) => new ValidationException("DryRun", $"{operationName} has no dry run.");

    public override VaultlibException MalformedPolicy(string location, string message) => new MalformedPolicyDocumentException($"{location}: {message}");

    public static ResourceNotFoundException NotFound() => new("Secrets Manager can't find the specified secret.");

    public static InvalidRequestException Deleted() => new("You can't perform this operation on the secret because it was marked for deletion.");
}
