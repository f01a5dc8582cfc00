using Vaultlib.Pipeline;

namespace Vaultlib.Parameters;

/// <summary>Shared faults as Parameter Store's own exception types, so every error it raises derives from <see cref="ParameterStoreException"/>.</summary>
internal sealed class SsmErrors : ServiceErrors
{
    public static SsmErrors Instance { get; } = new();

    public override VaultlibException Validation(string memberName, string message) => new ValidationException(memberName, message);

    public override VaultlibException DryRun(string operationName) => new ValidationException("DryRun", $"{operationName} has no dry run.");

    public override VaultlibException MalformedPolicy(string location, string message) => new ValidationException(location, message);

    public static ParameterNotFoundException NotFound(string name) => new($"Parameter {name} not found.");
}
