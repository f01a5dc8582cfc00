using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm.Operations;

/// <summary>
/// ACM <c>ResendValidationEmail</c>: Mails a pending domain's contacts again, with the same approval token, for an
/// email-validated certificate that waits for validation (or for its renewal's); <see cref="InvalidStateException"/>
/// otherwise, and <see cref="InvalidDomainValidationOptionsException"/> for a domain or validation domain it does not have.
/// </summary>
internal sealed class ResendValidationEmail() : CertificateOperation<ResendValidationEmailRequest, ResendValidationEmailResponse>("ResendValidationEmail", readOnly: true)
{
    public static ResendValidationEmail Instance { get; } = new();

    protected override string ArnOf(ResendValidationEmailRequest request) => request.CertificateArn;

    public override void Validate(ResendValidationEmailRequest r)
    {
        base.Validate(r);
        if (!AcmDomains.IsValid(r.Domain))
        {
            throw new ValidationException("Domain", $"The domain '{r.Domain}' is not a valid domain name.");
        }

        if (!AcmDomains.IsValid(r.ValidationDomain))
        {
            throw new ValidationException("ValidationDomain", $"The validation domain '{r.ValidationDomain}' is not a valid domain name.");
        }
    }

    public override async ValueTask<ResendValidationEmailResponse> ExecuteAsync(AcmTable table, ResendValidationEmailRequest r, AcmRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        bool renewal = record.Status == CertificateStatus.ISSUED && record.Renewal is { Status: RenewalStatus.PENDING_VALIDATION };
        if (record.ValidationMethod != ValidationMethod.EMAIL || (!renewal && record.Status != CertificateStatus.PENDING_VALIDATION))
        {
            throw new InvalidStateException($"Certificate {record.Arn} is {record.Status} and waits for no validation mail.");
        }

        IReadOnlyList<DomainRecord> validations = renewal ? record.Renewal!.Validations : record.Validations;
        DomainRecord? domain = validations.FirstOrDefault(v => string.Equals(v.DomainName, r.Domain, StringComparison.OrdinalIgnoreCase));
        if (domain is null || !string.Equals(domain.ValidationDomain, r.ValidationDomain, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDomainValidationOptionsException($"Certificate {record.Arn} does not validate {r.Domain} through {r.ValidationDomain}.");
        }

        if (domain.Status != DomainStatus.PENDING_VALIDATION)
        {
            throw new InvalidStateException($"The domain {r.Domain} of certificate {record.Arn} is {domain.Status}.");
        }

        await table.Lifecycle.SendMailsAsync(record, validations, renewal, cancellationToken, onlyDomain: domain.DomainName).ConfigureAwait(false);
        return new ResendValidationEmailResponse();
    }
}
