using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm;

/// <summary>Shared faults as ACM's own exception types, so every error it raises derives from <see cref="CertificateManagerException"/>.</summary>
internal sealed class AcmErrors : ServiceErrors
{
    public static AcmErrors Instance { get; } = new();

    public override VaultlibException Validation(string memberName, string message) => new ValidationException(memberName, message);

    public override VaultlibException DryRun(string operationName) => new ValidationException("DryRun", $"{operationName} has no dry run.");

    public override VaultlibException MalformedPolicy(string location, string message) => new ValidationException(location, message);

    public static ResourceNotFoundException NotFound(string arn) => new($"Could not find certificate {arn}.");
}
