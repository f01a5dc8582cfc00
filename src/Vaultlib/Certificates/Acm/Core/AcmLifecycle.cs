using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using AcmChange = (Vaultlib.Certificates.Acm.AcmRecord? Next, System.Security.Cryptography.AsymmetricAlgorithm? NewKey, System.Collections.Generic.IReadOnlyList<Vaultlib.Certificates.Acm.CertificateManagerEvent> Events);

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// ACM's time-driven work, for a <see cref="Scheduling.VaultlibScheduler"/>: looking up pending DNS validation records
/// (every <see cref="CertificateManagerSettings.DnsCheckInterval"/>) and issuing once every domain's record is there;
/// timing requests out 72 hours after they were made; renewing eligible certificates 60 days before they expire
/// (RenewalSummary as ACM reports it); the expiry-approaching events 45, 30, 15, 7, 3 and 1 days before; and expiry.
/// Time-outs and expiry are also applied when a certificate is next looked up, so a fake clock needs no scheduler for
/// them; the lookups and renewals, which do I/O, are the scheduler's (or <see cref="RunDueAsync"/>'s).
/// </summary>
internal sealed partial class AcmLifecycle(AcmTable table) : Scheduling.IScheduledWork
{
    /// <summary>Days before expiry at which ACM sends its expiry notices.</summary>
    public static readonly int[] NoticeDays = [45, 30, 15, 7, 3, 1];

    /// <summary>How long before expiry ACM renews an eligible certificate.</summary>
    public static readonly TimeSpan RenewalLead = TimeSpan.FromDays(60);

    private static readonly TimeSpan s_leaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>When each certificate's DNS records are next looked up (by this instance; the first check is due at once).</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextChecks = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public event EventHandler? DueTimeChanged;

    /// <inheritdoc/>
    public string Name => table.ServiceName;

    /// <inheritdoc/>
    public DateTimeOffset? NextDueTime => table.All.Select(DueOf).Min();

    public void NotifyDueTimeChanged() => DueTimeChanged?.Invoke(this, EventArgs.Empty);

    /// <summary>Whether ACM renews <paramref name="record"/> on its own: requested (not imported), issued, and in use or exported since it was last issued.</summary>
    public static bool Eligible(AcmRecord record) =>
        record.Type != CertificateType.IMPORTED && record.Status == CertificateStatus.ISSUED && (record.InUseBy.Count > 0 || record.Exported);

    /// <summary>When the next work on <paramref name="record"/> falls due, if any.</summary>
    /// <remarks>
    /// A switch expression over two methods, not a switch statement: removing a section's <c>return</c> would fall
    /// through to the next label, a compile error that makes Stryker drop every mutant of the method (docs/testing.md).
    /// The change callbacks below are methods for the same reason: a lambda without its last <c>return</c> does not compile.
    /// </remarks>
    public DateTimeOffset? DueOf(AcmRecord record) => record.Status switch
    {
        CertificateStatus.PENDING_VALIDATION => PendingDue(record),
        CertificateStatus.ISSUED when record.NotAfter is not null => IssuedDue(record, record.NotAfter.Value),
        _ => null,
    };

    private DateTimeOffset PendingDue(AcmRecord record)
    {
        DateTimeOffset timeout = record.CreatedAt!.Value + AcmDomains.ValidationWindow;
        return record.ValidationMethod == ValidationMethod.DNS ? Min(timeout, NextCheck(record)) : timeout;
    }

    private DateTimeOffset IssuedDue(AcmRecord record, DateTimeOffset notAfter)
    {
        DateTimeOffset due = NoticeDue(record, notAfter) ?? notAfter;
        if (Eligible(record) && record.Renewal?.For != notAfter)
        {
            due = Min(due, notAfter - RenewalLead);
        }
        else if (record.Renewal?.Status == RenewalStatus.PENDING_VALIDATION && record.ValidationMethod == ValidationMethod.DNS)
        {
            due = Min(due, NextCheck(record));
        }

        return due;
    }

    /// <inheritdoc/>
    public async ValueTask RunDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        AcmRecord[] due = [.. table.All.Where(r => DueOf(r) <= now)];
        // Stryker disable once Logical : both only skip work early; a disposed table's scheduler no longer runs, and with nothing due the loop does nothing
        if (table.IsDisposed || due.Length == 0
            || !await table.TryLeadSchedulerAsync(s_leaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (AcmRecord record in due)
        {
            await ProcessAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies what fell due on a certificate with no I/O: a request not validated in 72 hours times out; an issued
    /// certificate past its NotAfter expires (its pending renewal fails); a private certificate its CA revoked is REVOKED.
    /// </summary>
    public async ValueTask<AcmRecord> ApplyLapsesAsync(AcmRecord record, CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        // Stryker disable once Block : a fast path; the change below checks the same under the write gate and changes nothing
        if (!Lapsed(record, now))
        {
            return record;
        }

        return await table.ChangeAsync(record.Id, current => Lapse(current, now), cancellationToken).ConfigureAwait(false)
            ?? throw AcmErrors.NotFound(record.Arn);
    }

    /// <summary>The change <see cref="ApplyLapsesAsync"/> makes under the write gate.</summary>
    private AcmChange Lapse(AcmRecord? current, DateTimeOffset now)
    {
        // Stryker disable once Logical,Block : a guard against another instance deleting or changing the certificate meanwhile, which one test cannot interleave
        if (current is null || !Lapsed(current, now))
        {
            return (current, null, []);
        }

        if (current.Status == CertificateStatus.PENDING_VALIDATION)
        {
            return (current with { Status = CertificateStatus.VALIDATION_TIMED_OUT, Validations = Fail(current.Validations) }, null, []);
        }

        // Nullable locals rather than pattern variables (here and in the other changes): a negated `is { } x` leaves x
        // unassigned, which does not compile, and Stryker then drops the method's other mutants (docs/testing.md).
        IssuedCertificateRecord? atCa = RevokedAtCa(current);
        if (atCa?.RevokedAt is not null)
        {
            return (current with { Status = CertificateStatus.REVOKED, RevokedAt = atCa.RevokedAt.Value, RevocationReason = AcmReason(atCa.RevocationReason) }, null, []);
        }

        RenewalRecord? renewal = current.Renewal;
        AcmRecord expired = current with
        {
            Status = CertificateStatus.EXPIRED,
            Renewal = renewal is not null && renewal.Status != RenewalStatus.SUCCESS ? renewal with { Status = RenewalStatus.FAILED, UpdatedAt = current.NotAfter!.Value, Validations = Fail(renewal.Validations) } : renewal,
        };
        return (expired, null, [table.Event("ACM Certificate Expired", expired, current.NotAfter!.Value, Detail(expired, 0))]);
    }

    private bool Lapsed(AcmRecord record, DateTimeOffset now) => record.Status switch
    {
        CertificateStatus.PENDING_VALIDATION => now >= record.CreatedAt!.Value + AcmDomains.ValidationWindow,
        CertificateStatus.ISSUED => (record.NotAfter is { } notAfter && now >= notAfter) || RevokedAtCa(record) is { RevokedAt: not null },
        _ => false,
    };

    /// <summary>Whether the CA of a private certificate has revoked it (which the record shows once it is next looked up).</summary>
    public bool IsRevokedAtCa(AcmRecord record) => RevokedAtCa(record) is { RevokedAt: not null };

    /// <summary>The issuing CA's record of a private certificate (its revocation), when this Region's Private CA holds it.</summary>
    private IssuedCertificateRecord? RevokedAtCa(AcmRecord record) =>
        record is { Type: CertificateType.PRIVATE, CertificateAuthorityArn: { } caArn, Serial: { } serial } && table.Settings.PrivateCertificateAuthority?.Table is { } cas
        && cas.FindById(caArn[(caArn.LastIndexOf('/') + 1)..]) is { } ca && ca.Arn == caArn
            ? cas.FindCertificate(ca.Id, serial)
            : null;

    /// <summary>A Private CA revocation reason as ACM names it.</summary>
    private static RevocationReason AcmReason(Certificates.RevocationReason? reason) => reason switch
    {
        Certificates.RevocationReason.KEY_COMPROMISE => RevocationReason.KEY_COMPROMISE,
        Certificates.RevocationReason.CERTIFICATE_AUTHORITY_COMPROMISE => RevocationReason.CA_COMPROMISE,
        Certificates.RevocationReason.AFFILIATION_CHANGED => RevocationReason.AFFILIATION_CHANGED,
        Certificates.RevocationReason.SUPERSEDED => RevocationReason.SUPERSEDED,
        Certificates.RevocationReason.CESSATION_OF_OPERATION => RevocationReason.CESSATION_OF_OPERATION,
        Certificates.RevocationReason.PRIVILEGE_WITHDRAWN => RevocationReason.PRIVILEGE_WITHDRAWN,
        Certificates.RevocationReason.A_A_COMPROMISE => RevocationReason.A_A_COMPROMISE,
        _ => RevocationReason.UNSPECIFIED,
    };

    private async ValueTask ProcessAsync(AcmRecord record, CancellationToken cancellationToken)
    {
        try
        {
            record = await ApplyLapsesAsync(record, cancellationToken).ConfigureAwait(false);
            DateTimeOffset now = table.Now;
            if (record.Status == CertificateStatus.PENDING_VALIDATION && record.ValidationMethod == ValidationMethod.DNS && NextCheck(record) <= now)
            {
                await CheckDnsAsync(record, renewal: false, cancellationToken).ConfigureAwait(false);
                // Stryker disable once Statement : a fast path; `record` is still the pending one, so the check below returns too
                return;
            }

            // Nullable locals, not pattern variables behind || or && (here and below), so that every mutation of these
            // conditions compiles (docs/testing.md).
            // Stryker disable once Conditional : a lapsed record passing here changes nothing: the notice re-checks the status under the write gate, and renewal needs an issued certificate (Eligible) or a pending DNS renewal, which expiry failed
            DateTimeOffset? issuedUntil = record.Status == CertificateStatus.ISSUED ? record.NotAfter : null;
            if (issuedUntil is null)
            {
                return;
            }

            DateTimeOffset notAfter = issuedUntil.Value;
            // A lifted comparison: false when no notice is left to send.
            if (now >= NoticeDue(record, notAfter))
            {
                record = await NotifyExpiryAsync(record, now, cancellationToken).ConfigureAwait(false);
            }

            if (Eligible(record) && record.Renewal?.For != notAfter && now >= notAfter - RenewalLead)
            {
                await StartRenewalAsync(record, cancellationToken).ConfigureAwait(false);
            }
            else if (record.Renewal is { Status: RenewalStatus.PENDING_VALIDATION } && record.ValidationMethod == ValidationMethod.DNS && NextCheck(record) <= now)
            {
                await CheckDnsAsync(record, renewal: true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WorkFailed(table.Logger, record.Arn, ex.GetType().Name);
        }
    }

    /// <summary>Sends the expiry notice of the fewest days crossed (one, however far the clock jumped).</summary>
    private async ValueTask<AcmRecord> NotifyExpiryAsync(AcmRecord record, DateTimeOffset now, CancellationToken cancellationToken) =>
        await table.ChangeAsync(record.Id, current => ExpiryNotice(current, now), cancellationToken).ConfigureAwait(false) ?? record;

    /// <summary>The change <see cref="NotifyExpiryAsync"/> makes under the write gate.</summary>
    private AcmChange ExpiryNotice(AcmRecord? current, DateTimeOffset now)
    {
        // Stryker disable Conditional,Logical,Equality,Block : a guard against another instance sending the notice (or renewing, or deleting) meanwhile; the caller checked the same, and one test cannot interleave
        if (current is null)
        {
            return (current, null, []);
        }

        DateTimeOffset? issuedUntil = current.Status == CertificateStatus.ISSUED ? current.NotAfter : null;
        // Lifted: not yet due, or no notice left to send.
        if (issuedUntil is null || !(now >= NoticeDue(current, issuedUntil.Value)))
        {
            return (current, null, []);
        }

        // Stryker restore all

        DateTimeOffset notAfter = issuedUntil.Value;
        int crossed = NoticeDays.Where(d => now >= notAfter - TimeSpan.FromDays(d)).Min();
        int daysLeft = (int)Math.Ceiling((notAfter - now).TotalDays);
        AcmRecord noticed = current with { ExpiryNoticeDays = crossed };
        return (noticed, null, [table.Event("ACM Certificate Approaching Expiration", noticed, now, Detail(noticed, daysLeft))]);
    }

    /// <summary>Begins a managed renewal: a private certificate is reissued at once; a DNS-validated one once its records are still there; an email-validated one once its domains are approved again.</summary>
    private async ValueTask StartRenewalAsync(AcmRecord record, CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        if (record.Type == CertificateType.PRIVATE)
        {
            await CompleteAsync(record, renewal: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        bool email = record.ValidationMethod == ValidationMethod.EMAIL;
        IReadOnlyList<DomainRecord> validations = [.. record.Validations.Select(v => v with { Status = DomainStatus.PENDING_VALIDATION, ApprovalToken = email ? AcmDomains.NewToken() : null })];
        AcmRecord? started = await table.ChangeAsync(
            record.Id,
            // Stryker disable once Logical,Equality : a guard against another instance renewing (or deleting) meanwhile; the caller checked the same, and one test cannot interleave
            current => current is { Status: CertificateStatus.ISSUED } && current.NotAfter == record.NotAfter && current.Renewal?.For != record.NotAfter
                ? (current with { Renewal = new RenewalRecord { Status = email ? RenewalStatus.PENDING_VALIDATION : RenewalStatus.PENDING_AUTO_RENEWAL, Validations = validations, UpdatedAt = now, For = record.NotAfter!.Value } }, null, [])
                : (current, null, []),
            cancellationToken).ConfigureAwait(false);
        RenewalRecord? renewal = started?.Renewal;
        // Stryker disable once Logical,Equality,Statement,Block : as above, the renewal was not started here only when another instance deleted or renewed the certificate meanwhile
        if (started is null || renewal is null || renewal.UpdatedAt != now)
        {
            return;
        }

        if (email)
        {
            await SendMailsAsync(started, renewal.Validations, renewal: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CheckDnsAsync(started, renewal: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Issues the certificate (or its renewal) and commits it with its new key; a failure marks the request FAILED, or the renewal FAILED with the certificate kept.</summary>
    public async ValueTask<AcmRecord?> CompleteAsync(AcmRecord validated, bool renewal, CancellationToken cancellationToken)
    {
        AcmIssuer.Issued issued = await AcmIssuer.IssueAsync(table, validated, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = table.Now;
        // Stryker disable once Boolean : it only decides whether an unused key is disposed early
        bool committed = false;
        try
        {
            return await table.ChangeAsync(validated.Id, current => Commit(current, validated, renewal, issued, now, ref committed), cancellationToken).ConfigureAwait(false);
        }
        // Stryker disable all : disposing an unused key frees it early; nothing reads it
        finally
        {
            if (!committed || issued.Failure is not null)
            {
                issued.Key?.Dispose();
            }
        }

        // Stryker restore all
    }

    /// <summary>The change <see cref="CompleteAsync"/> makes under the write gate; <paramref name="committed"/> is set when the issuance is written.</summary>
    private AcmChange Commit(AcmRecord? current, AcmRecord validated, bool renewal, AcmIssuer.Issued issued, DateTimeOffset now, ref bool committed)
    {
        // Stryker disable once Logical : a guard against another instance finishing the same issuance meanwhile, which one test cannot interleave
        bool stillWaiting = renewal
            ? current is { Status: CertificateStatus.ISSUED } && current.NotAfter == validated.NotAfter
            : current is { Status: CertificateStatus.PENDING_VALIDATION };
        // Stryker disable once Block,Statement : as above, a race between instances
        if (!stillWaiting)
        {
            return (current, null, []);
        }

        committed = true;
        FailureReason? reason = issued.Failure;
        if (reason is not null)
        {
            // Stryker disable once NullCoalescing : a renewal's validations, all succeeded, show as the certificate's own do (only the unread approval tokens differ)
            return renewal
                ? (current! with { Renewal = new RenewalRecord { Status = RenewalStatus.FAILED, Reason = reason.Value, Validations = validated.Renewal?.Validations ?? current!.Validations, UpdatedAt = now, For = current!.NotAfter!.Value } }, null, [])
                : (current! with { Status = CertificateStatus.FAILED, FailureReason = reason.Value }, null, []);
        }

        AcmRecord next = current! with
        {
            Status = CertificateStatus.ISSUED,
            Certificate = issued.Certificate,
            Chain = issued.Chain,
            Serial = issued.Serial,
            NotBefore = issued.NotBefore,
            NotAfter = issued.NotAfter,
            IssuedAt = now,
            // Stryker disable once Conditional : a first issuance was never exported, so both give false
            Exported = renewal ? false : current.Exported,
            ExpiryNoticeDays = null,
            // Stryker disable once Conditional : the validations the renewal started with are still the certificate's unless another instance raced
            Validations = renewal ? current.Validations : validated.Validations,
            // Stryker disable once NullCoalescing : as above, the renewal's validations all succeeded, as the certificate's own did
            Renewal = renewal ? new RenewalRecord { Status = RenewalStatus.SUCCESS, Validations = validated.Renewal?.Validations ?? current.Validations, UpdatedAt = now, For = current.NotAfter!.Value } : current.Renewal,
        };
        return (next, issued.Key, [table.Event("ACM Certificate Available", next, now, Detail(next, DaysLeft(next, now)) with { Action = renewal ? "RENEWAL" : "ISSUANCE" })]);
    }

    private static CertificateManagerEventDetail Detail(AcmRecord record, int daysLeft) => new()
    {
        CommonName = record.Domains[0],
        DaysToExpiry = daysLeft,
        CertificateType = record.Type,
        DomainValidationMethod = record.ValidationMethod,
        CertificateExpirationDate = record.NotAfter,
        InUse = record.InUseBy.Count > 0,
        Exported = record.Exported,
    };

    private static int DaysLeft(AcmRecord record, DateTimeOffset now) => record.NotAfter is { } notAfter ? Math.Max(0, (int)Math.Ceiling((notAfter - now).TotalDays)) : 0;

    /// <summary>When the next expiry notice not yet sent for the current certificate (expiring at <paramref name="notAfter"/>) falls due; null when none is left.</summary>
    private static DateTimeOffset? NoticeDue(AcmRecord record, DateTimeOffset notAfter)
    {
        int sent = record.ExpiryNoticeDays ?? int.MaxValue;
        int next = NoticeDays.Where(d => d < sent).DefaultIfEmpty(0).Max();
        // Stryker disable once Conditional : a notice at 0 days would fall on the expiry itself, which sends the expiry event instead
        return next == 0 ? null : notAfter - TimeSpan.FromDays(next);
    }

    // Stryker disable once NullCoalescing : the fallbacks for a check never scheduled are all due at once
    private DateTimeOffset NextCheck(AcmRecord record) => _nextChecks.TryGetValue(record.Id, out DateTimeOffset at) ? at : (record.Renewal?.UpdatedAt ?? record.CreatedAt ?? table.Now);

    private static IReadOnlyList<DomainRecord> Fail(IReadOnlyList<DomainRecord> validations) =>
        [.. validations.Select(v => v.Status == DomainStatus.PENDING_VALIDATION ? v with { Status = DomainStatus.FAILED } : v)];

    // Stryker disable once all : at a == b either is the same instant
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    [Microsoft.Extensions.Logging.LoggerMessage(1601, LogLevel.Warning, "ACM's scheduled work on {CertificateArn} failed ({ExceptionType}); it will be tried again.", EventName = "AcmWorkFailed")]
    private static partial void WorkFailed(ILogger logger, string certificateArn, string exceptionType);
}
