using System.Text.RegularExpressions;
using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>RequestCertificate</c>: A public certificate (AMAZON_ISSUED) waits in PENDING_VALIDATION for each domain to be
/// proven, by a CNAME record (DNS, looked up by <see cref="AcmLifecycle"/>) or an approved mail (EMAIL, the default as
/// in AWS's API), and times out after 72 hours; with a <c>CertificateAuthorityArn</c> a private certificate is issued
/// at once by that Private CA (or FAILED with AWS's reason when the CA refuses). The same <c>IdempotencyToken</c>
/// within an hour returns the same certificate.
/// </summary>
internal sealed partial class RequestCertificate() : AcmOperation<RequestCertificateRequest, AccountResource, RequestCertificateResponse>("RequestCertificate", readOnly: false)
{
    public static RequestCertificate Instance { get; } = new();

    private static readonly TimeSpan s_idempotencyWindow = TimeSpan.FromHours(1);

    [GeneratedRegex(@"^\w+\z", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"^arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(/[\w+=,.@-]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PcaArnPattern();

    public override void Validate(RequestCertificateRequest r)
    {
        if (!AcmDomains.IsValid(r.DomainName))
        {
            throw new ValidationException("DomainName", $"The domain name '{r.DomainName}' is not a valid domain name (1-253 characters of labels, a leading *. for a wildcard).");
        }

        if (r.DomainName.Length > 64)
        {
            throw new ValidationException("DomainName", "The first domain name becomes the common name and cannot exceed 64 characters; name longer domains in SubjectAlternativeNames.");
        }

        if (r.SubjectAlternativeNames is { } names)
        {
            if (names.Count is < 1 or > 100)
            {
                throw new ValidationException("SubjectAlternativeNames", "SubjectAlternativeNames has 1-100 names.");
            }

            foreach (string name in names.Where(n => !AcmDomains.IsValid(n)))
            {
                throw new ValidationException("SubjectAlternativeNames", $"The domain name '{name}' is not a valid domain name.");
            }
        }

        if (r.IdempotencyToken is { } token && (token.Length is < 1 or > 32 || !TokenPattern().IsMatch(token)))
        {
            throw new ValidationException("IdempotencyToken", "IdempotencyToken is 1-32 word characters.");
        }

        if (r.CertificateAuthorityArn is { } ca && (ca.Length is < 20 or > 2048 || !PcaArnPattern().IsMatch(ca)))
        {
            throw new InvalidArnException($"The CertificateAuthorityArn {ca} is not a Private CA ARN.");
        }

        Internal.Validate.Defined("ValidationMethod", r.ValidationMethod);
        Internal.Validate.Defined("KeyAlgorithm", r.KeyAlgorithm);
        if (r.ValidationMethod == ValidationMethod.HTTP)
        {
            throw new ValidationException("ValidationMethod", "HTTP validation is only for certificates managed by CloudFront.");
        }

        if (r.KeyAlgorithm is { } key && !AcmKeys.Requestable(key))
        {
            throw new ValidationException("KeyAlgorithm", $"The key algorithm {key} cannot be requested (RSA_2048, EC_prime256v1 and EC_secp384r1 can; the others are for imported certificates).");
        }

        CaTags.Validate(r.Tags, 1, m => new ValidationException("Tags", m), m => new InvalidTagException(m));
        IReadOnlyList<string> domains = Domains(r);
        if (domains.Count > AcmDomains.MaxDomains)
        {
            throw new LimitExceededException($"A certificate names at most {AcmDomains.MaxDomains} domains (AWS's default quota); this request names {domains.Count}.");
        }

        if (r.DomainValidationOptions is { } options)
        {
            if (options.Count is < 1 or > 100)
            {
                throw new ValidationException("DomainValidationOptions", "DomainValidationOptions has 1-100 entries.");
            }

            foreach (DomainValidationOption option in options)
            {
                if (!domains.Contains(option.DomainName, StringComparer.OrdinalIgnoreCase) || !AcmDomains.IsValid(option.ValidationDomain) || !AcmDomains.Covers(option.ValidationDomain, option.DomainName))
                {
                    throw new InvalidDomainValidationOptionsException($"The validation domain {option.ValidationDomain} is not {option.DomainName}, a domain of the request, or a superdomain of it.");
                }
            }
        }
    }

    public override RequestFacts Facts(RequestCertificateRequest r) => CaTags.Facts(r.Tags);

    public override ValueTask<AccountResource> ResolveAsync(AcmTable table, RequestCertificateRequest r, RequestContext context, CancellationToken cancellationToken) => new(table.Account);

    public override async ValueTask<RequestCertificateResponse> ExecuteAsync(AcmTable table, RequestCertificateRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        DateTimeOffset now = table.Now;
        IReadOnlyList<string> domains = Domains(r);
        if (r.IdempotencyToken is { } token
            && table.All.FirstOrDefault(c => c.IdempotencyToken == token && c.Domains[0] == domains[0] && now - c.CreatedAt < s_idempotencyWindow) is { } earlier)
        {
            return new RequestCertificateResponse { CertificateArn = earlier.Arn };
        }

        bool isPrivate = r.CertificateAuthorityArn is not null;
        ValidationMethod? method = isPrivate ? null : r.ValidationMethod ?? ValidationMethod.EMAIL;
        LocalRoot? root = isPrivate ? null : await table.EnsureRootAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DomainRecord> validations = [.. domains.Select(domain =>
        {
            string validationDomain = r.DomainValidationOptions?.FirstOrDefault(o => string.Equals(o.DomainName, domain, StringComparison.OrdinalIgnoreCase))?.ValidationDomain.ToLowerInvariant() ?? AcmDomains.Base(domain);
            (string Name, string Value)? dns = method == ValidationMethod.DNS ? AcmDomains.Record(root!.Secret, validationDomain) : null;
            return new DomainRecord
            {
                DomainName = domain,
                ValidationDomain = validationDomain,
                Status = isPrivate ? DomainStatus.SUCCESS : DomainStatus.PENDING_VALIDATION,
                RecordName = dns?.Name,
                RecordValue = dns?.Value,
                ApprovalToken = method == ValidationMethod.EMAIL ? AcmDomains.NewToken() : null,
            };
        })];
        string id = Guid.NewGuid().ToString();
        var record = new AcmRecord
        {
            Id = id,
            Arn = table.ArnPrefix + id,
            Type = isPrivate ? CertificateType.PRIVATE : CertificateType.AMAZON_ISSUED,
            Status = CertificateStatus.PENDING_VALIDATION,
            Domains = domains,
            ValidationMethod = method,
            KeyAlgorithm = r.KeyAlgorithm ?? KeyAlgorithm.RSA_2048,
            CertificateAuthorityArn = r.CertificateAuthorityArn,
            Options = new CertificateOptions
            {
                CertificateTransparencyLoggingPreference = r.Options?.CertificateTransparencyLoggingPreference ?? CertificateTransparencyLoggingPreference.ENABLED,
                Export = isPrivate ? CertificateExport.ENABLED : r.Options?.Export ?? CertificateExport.DISABLED,
            },
            CreatedAt = now,
            Validations = validations,
            Tags = r.Tags ?? [],
            IdempotencyToken = r.IdempotencyToken,
        };
        await table.ChangeAsync(id, _ => (record, null, []), cancellationToken).ConfigureAwait(false);
        if (isPrivate)
        {
            await table.Lifecycle.CompleteAsync(record, renewal: false, cancellationToken).ConfigureAwait(false);
        }
        else if (method == ValidationMethod.EMAIL)
        {
            await table.Lifecycle.SendMailsAsync(record, validations, renewal: false, cancellationToken).ConfigureAwait(false);
        }

        return new RequestCertificateResponse { CertificateArn = record.Arn };
    }

    /// <summary>The request's domains, <c>DomainName</c> first, each once (DNS names compare without case).</summary>
    private static IReadOnlyList<string> Domains(RequestCertificateRequest r) =>
        [.. new[] { r.DomainName }.Concat(r.SubjectAlternativeNames ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];
}
