using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Vaultlib.Certificates.Acm;

/// <summary>The default <see cref="IValidationEmailSender"/>: logs each mail's certificate, domain and recipients (never its approval token).</summary>
/// <param name="logger">Where the mails are logged.</param>
public sealed partial class LoggingValidationEmailSender(ILogger logger) : IValidationEmailSender
{
    /// <inheritdoc/>
    public ValueTask SendAsync(ValidationEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        Logged(logger, email.CertificateArn, email.DomainName, string.Join(", ", email.Recipients));
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(1600, LogLevel.Information, "Validation mail for {CertificateArn} ({DomainName}) to {Recipients}; plug in an IValidationEmailSender to deliver it.", EventName = "ValidationEmail")]
    private static partial void Logged(ILogger logger, string certificateArn, string domainName, string recipients);
}

/// <summary>An <see cref="IValidationEmailSender"/> that keeps every mail, for tests and development: read the token, approve.</summary>
public sealed class InMemoryValidationEmailSender : IValidationEmailSender
{
    private readonly ConcurrentQueue<ValidationEmail> _sent = new();

    /// <summary>Every mail sent, oldest first.</summary>
    public IReadOnlyList<ValidationEmail> Sent => [.. _sent];

    /// <inheritdoc/>
    public ValueTask SendAsync(ValidationEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        _sent.Enqueue(email);
        return ValueTask.CompletedTask;
    }
}
