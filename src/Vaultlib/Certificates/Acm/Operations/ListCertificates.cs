using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>ListCertificates</c>: The certificates in the statuses asked (all when none), filtered by key type (only
/// RSA_1024 and RSA_2048 when no <c>keyTypes</c> filter is given, as AWS lists them), key usage, extended key usage and
/// export option, by creation (or import) time, 1-1,000 a page.
/// </summary>
internal sealed class ListCertificates() : AcmOperation<ListCertificatesRequest, AccountResource, ListCertificatesResponse>("ListCertificates", readOnly: true)
{
    public static ListCertificates Instance { get; } = new();

    private static readonly KeyAlgorithm[] s_defaultKeyTypes = [KeyAlgorithm.RSA_1024, KeyAlgorithm.RSA_2048];

    public override void Validate(ListCertificatesRequest r)
    {
        Internal.Validate.Range("MaxItems", r.MaxItems, 1, 1000);
        Internal.Validate.Length("NextToken", r.NextToken, 1, 10_000, required: false);
        if (r.SortBy.HasValue != r.SortOrder.HasValue)
        {
            throw new InvalidArgsException("SortBy and SortOrder are given together.");
        }
    }

    public override ValueTask<AccountResource> ResolveAsync(AcmTable table, ListCertificatesRequest r, RequestContext context, CancellationToken cancellationToken) => new(table.Account);

    public override async ValueTask<ListCertificatesResponse> ExecuteAsync(AcmTable table, ListCertificatesRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        await table.CatchUpOnceAsync(cancellationToken).ConfigureAwait(false);
        var current = new List<AcmRecord>();
        foreach (AcmRecord record in table.All)
        {
            current.Add(await table.Lifecycle.ApplyLapsesAsync(record, cancellationToken).ConfigureAwait(false));
        }

        IReadOnlyList<KeyAlgorithm> keyTypes = r.Includes?.KeyTypes is { Count: > 0 } types ? types : s_defaultKeyTypes;
        IEnumerable<(AcmRecord Record, CertificateSummary Summary)> matching = current
            .Where(c => r.CertificateStatuses is not { Count: > 0 } statuses || statuses.Contains(c.Status))
            .Where(c => keyTypes.Contains(c.KeyAlgorithm))
            .Select(c => (c, AcmDescriptions.Summary(c)))
            .Where(p => Matches(r.Includes, p.Item2));
        bool descending = r.SortOrder == SortOrder.DESCENDING;

        // The page key sorts by time (ascending, or descending through the complement of the ticks), then by ARN.
        (IReadOnlyList<(AcmRecord Record, CertificateSummary Summary)> page, string? next) = PageMarker.Page(
            matching,
            p => $"{(descending ? long.MaxValue - When(p.Record).UtcTicks : When(p.Record).UtcTicks):D20}/{p.Record.Id}",
            r.NextToken,
            r.MaxItems ?? 1000,
            static () => new InvalidArgsException("The NextToken is not one this service issued."));
        return new ListCertificatesResponse { CertificateSummaryList = [.. page.Select(p => p.Summary)], NextToken = next };
    }

    private static DateTimeOffset When(AcmRecord record) => record.CreatedAt ?? record.ImportedAt ?? default;

    private static bool Matches(Filters? filters, CertificateSummary summary)
    {
        if (filters is null)
        {
            return true;
        }

        if (filters.ExportOption is { } export && summary.ExportOption != export)
        {
            return false;
        }

        if (filters.KeyUsage is { Count: > 0 } usages
            && !usages.Any(u => u == KeyUsageName.ANY ? summary.KeyUsages is { Count: > 0 } : summary.KeyUsages?.Contains(u) == true))
        {
            return false;
        }

        return filters.ExtendedKeyUsage is not { Count: > 0 } extended
            || extended.Any(u => u switch
            {
                ExtendedKeyUsageName.ANY => summary.ExtendedKeyUsages is { Count: > 0 },
                ExtendedKeyUsageName.NONE => summary.ExtendedKeyUsages is not { Count: > 0 },
                _ => summary.ExtendedKeyUsages?.Contains(u) == true,
            });
    }
}
