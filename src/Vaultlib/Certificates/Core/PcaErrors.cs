using Vaultlib.Pipeline;

namespace Vaultlib.Certificates;

/// <summary>Shared faults as Private CA's own exception types, so every error it raises derives from <see cref="PrivateCaException"/>.</summary>
internal sealed class PcaErrors : ServiceErrors
{
    public static PcaErrors Instance { get; } = new();

    public override VaultlibException Validation(string memberName, string message) => new InvalidArgsException(memberName, message);

    public override VaultlibException DryRun(string operationName) => new InvalidArgsException("DryRun", $"{operationName} has no dry run.");

    public override VaultlibException MalformedPolicy(string location, string message) => new InvalidPolicyException($"{location}: {message}");

    public static ResourceNotFoundException CaNotFound(string arn) => new($"Could not find certificate authority {arn}.");
}
