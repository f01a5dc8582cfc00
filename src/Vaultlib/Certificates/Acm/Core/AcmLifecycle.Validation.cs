using Microsoft.Extensions.Logging;
using AcmChange = (Vaultlib.Certificates.Acm.AcmRecord? Next, System.Security.Cryptography.AsymmetricAlgorithm? NewKey, System.Collections.Generic.IReadOnlyList<Vaultlib.Certificates.Acm.CertificateManagerEvent> Events);

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// Domain validation, the part of <see cref="AcmLifecycle"/> that proves ownership: DNS records looked up through the
/// configured resolver, validation mails sent through the configured sender, and their approval links followed.
/// </summary>
internal sealed partial class AcmLifecycle
{
    /// <summary>Looks up the pending domains' records; issues (or renews) once every domain's is there, otherwise records what was found and checks again later.</summary>
    public async ValueTask CheckDnsAsync(AcmRecord record, bool renewal, CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        _nextChecks[record.Id] = now + table.Settings.DnsCheckInterval;
        IReadOnlyList<DomainRecord> validations = renewal ? record.Renewal!.Validations : record.Validations;
        var found = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (DomainRecord v in validations.Where(v => v.Status != DomainStatus.SUCCESS && v.RecordName is not null))
        {
            if (!found.ContainsKey(v.RecordName!))
            {
                found[v.RecordName!] = await PresentAsync(v, cancellationToken).ConfigureAwait(false);
            }
        }

        // Stryker disable once String : every DNS validation has a record name; the fallback only satisfies the nullable type
        IReadOnlyList<DomainRecord> checkedNow = [.. validations.Select(v => v.Status != DomainStatus.SUCCESS && found.GetValueOrDefault(v.RecordName ?? string.Empty) ? v with { Status = DomainStatus.SUCCESS } : v)];
        if (checkedNow.All(v => v.Status == DomainStatus.SUCCESS))
        {
            await CompleteAsync(renewal ? record with { Renewal = record.Renewal! with { Validations = checkedNow } } : record with { Validations = checkedNow }, renewal, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await table.ChangeAsync(record.Id, current => Checked(current, checkedNow, renewal, now), cancellationToken).ConfigureAwait(false);
        }

        // Stryker disable once Statement : it only wakes a running scheduler early; the contract tests drive the scheduler by hand
        NotifyDueTimeChanged();
    }

    /// <summary>The change <see cref="CheckDnsAsync"/> makes under the write gate when some record is still missing: what was found, and a renewal waiting on its records.</summary>
    private AcmChange Checked(AcmRecord? current, IReadOnlyList<DomainRecord> checkedNow, bool renewal, DateTimeOffset now)
    {
        // Stryker disable once Block : a guard against the certificate deleted during the lookup, which one test cannot interleave
        if (current is null)
        {
            return (current, null, []);
        }

        if (!renewal)
        {
            // Stryker disable once Conditional,Logical : the status is still pending unless another instance issued it during the lookup; the same validations written again change nothing
            return current.Status == CertificateStatus.PENDING_VALIDATION && !current.Validations.SequenceEqual(checkedNow)
                ? (current with { Validations = checkedNow }, null, [])
                : (current, null, []);
        }

        RenewalRecord? pending = current.Renewal;
        if (pending?.Status == RenewalStatus.PENDING_AUTO_RENEWAL)
        {
            AcmRecord waiting = current with { Renewal = pending with { Status = RenewalStatus.PENDING_VALIDATION, Validations = checkedNow, UpdatedAt = now } };
            return (waiting, null, [table.Event("ACM Certificate Renewal Action Required", waiting, now, Detail(waiting, DaysLeft(waiting, now)) with { RenewalStatus = RenewalStatus.PENDING_VALIDATION })]);
        }

        return (current, null, []);
    }

    private async ValueTask<bool> PresentAsync(DomainRecord validation, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<string> targets = await table.Resolver.LookupCnameAsync(validation.RecordName!, cancellationToken).ConfigureAwait(false);
            return targets.Any(t => AcmDomains.SameTarget(t, validation.RecordValue!));
        }
        catch (IOException ex)
        {
            DnsFailed(table.Logger, validation.RecordName!, ex.GetType().Name);
            return false;
        }
    }

    /// <summary>Approves the domain whose approval token is <paramref name="token"/>; issues (or renews) once every domain is approved.</summary>
    public async ValueTask ApproveAsync(string token, CancellationToken cancellationToken)
    {
        await table.CatchUpOnceAsync(cancellationToken).ConfigureAwait(false);
        foreach (AcmRecord candidate in table.All)
        {
            AcmRecord record = await ApplyLapsesAsync(candidate, cancellationToken).ConfigureAwait(false);
            bool renewal = record.Status == CertificateStatus.ISSUED && record.Renewal?.Status == RenewalStatus.PENDING_VALIDATION;
            // Stryker disable once Block,Statement : a fast path; a certificate neither pending nor renewing has no pending validation, so the check below continues too
            if (!renewal && record.Status != CertificateStatus.PENDING_VALIDATION)
            {
                continue;
            }

            IReadOnlyList<DomainRecord> validations = renewal ? record.Renewal!.Validations : record.Validations;
            if (!validations.Any(v => v.Status == DomainStatus.PENDING_VALIDATION && AcmDomains.SameToken(v.ApprovalToken, token)))
            {
                continue;
            }

            // Approving one domain approves every domain validated through the same validation domain, as one mail does in ACM.
            // Stryker disable once Linq : the loop above continued unless some validation has this token, so First finds one
            string validationDomain = validations.First(v => AcmDomains.SameToken(v.ApprovalToken, token)).ValidationDomain;
            IReadOnlyList<DomainRecord> approved = [.. validations.Select(v => v.ValidationDomain == validationDomain ? v with { Status = DomainStatus.SUCCESS } : v)];
            if (approved.All(v => v.Status == DomainStatus.SUCCESS))
            {
                await CompleteAsync(renewal ? record with { Renewal = record.Renewal! with { Validations = approved } } : record with { Validations = approved }, renewal, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.ChangeAsync(
                    record.Id,
                    current => current is null ? (current, null, []) : renewal
                        ? (current with { Renewal = current.Renewal! with { Validations = approved, UpdatedAt = table.Now } }, null, [])
                        : (current with { Validations = approved }, null, []),
                    cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        throw new ResourceNotFoundException("No pending domain validation has this approval token (it may have been used, or its request timed out).");
    }

    /// <summary>
    /// Sends the validation mails of <paramref name="validations"/>, or of <paramref name="onlyDomain"/>'s alone (one per
    /// validation domain); a sender's failure is logged, and ResendValidationEmail sends again. Every validation passed
    /// waits, with its approval token: a new request's, a new renewal's, or the one pending domain ResendValidationEmail checked.
    /// </summary>
    public async ValueTask SendMailsAsync(AcmRecord record, IReadOnlyList<DomainRecord> validations, bool renewal, CancellationToken cancellationToken, string? onlyDomain = null)
    {
        foreach (DomainRecord v in validations.Where(v => onlyDomain is null || v.DomainName == onlyDomain).DistinctBy(v => v.ValidationDomain))
        {
            try
            {
                await table.Mail.SendAsync(
                    new ValidationEmail
                    {
                        CertificateArn = record.Arn,
                        DomainName = v.DomainName,
                        ValidationDomain = v.ValidationDomain,
                        Recipients = AcmDomains.Contacts(v.ValidationDomain),
                        ApprovalToken = v.ApprovalToken!,
                        Renewal = renewal,
                        ExpiresAt = renewal ? record.NotAfter!.Value : record.CreatedAt!.Value + AcmDomains.ValidationWindow,
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                MailFailed(table.Logger, record.Arn, ex.GetType().Name);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(1602, LogLevel.Information, "Looking up the validation record {RecordName} failed ({ExceptionType}); it will be looked up again.", EventName = "AcmDnsLookupFailed")]
    private static partial void DnsFailed(ILogger logger, string recordName, string exceptionType);

    [Microsoft.Extensions.Logging.LoggerMessage(1603, LogLevel.Warning, "Sending a validation mail for {CertificateArn} failed ({ExceptionType}); ResendValidationEmail sends it again.", EventName = "AcmMailFailed")]
    private static partial void MailFailed(ILogger logger, string certificateArn, string exceptionType);
}
