using System.Globalization;

namespace Vaultlib.Certificates;

/// <summary>
/// IssueCertificate's <c>Validity</c> and <c>ValidityNotBefore</c>, read as AWS reads them: DAYS, MONTHS and YEARS
/// from now (calendar months and years), END_DATE as <c>YYYYMMDDHHMMSS</c> in UTC, ABSOLUTE as Unix seconds. The
/// start is, by default, an hour before now (AWS's allowance for clock skew); a given start is ABSOLUTE or END_DATE.
/// The certificate may not outlive its CA's certificate, nor start after it ends; a short-lived CA's certificates last
/// at most seven days.
/// </summary>
internal static class CaValidity
{
    public static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    public static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Compute(Validity? validity, Validity? notBefore, DateTimeOffset now, DateTimeOffset? caNotAfter, CertificateAuthorityUsageMode usage)
    {
        if (validity is null)
        {
            throw new InvalidArgsException("Validity", "Validity is required.");
        }

        DateTimeOffset end = At(validity, now, "Validity");
        DateTimeOffset start = notBefore is null ? now - Backdate
            : notBefore.Type is ValidityPeriodType.ABSOLUTE or ValidityPeriodType.END_DATE ? At(notBefore, now, "ValidityNotBefore")
            : throw new InvalidArgsException("ValidityNotBefore", "ValidityNotBefore must be ABSOLUTE or END_DATE.");
        if (end <= now || end <= start)
        {
            throw new InvalidArgsException("Validity", "The certificate must end after now and after it starts.");
        }

        // The start is before the end (checked above), so a certificate that ends within its CA's also starts within it.
        DateTimeOffset limit = caNotAfter ?? DateTimeOffset.MaxValue;
        if (end > limit)
        {
            throw new InvalidArgsException("Validity", $"The certificate's validity must end within its CA's (on or before {limit:u}).");
        }

        if (usage == CertificateAuthorityUsageMode.SHORT_LIVED_CERTIFICATE && end - start > TimeSpan.FromDays(7) + Backdate)
        {
            throw new InvalidArgsException("Validity", "A short-lived certificate CA issues certificates valid for at most 7 days.");
        }

        return (start, end);
    }

    private static DateTimeOffset At(Validity v, DateTimeOffset now, string member)
    {
        if (v.Value < 1)
        {
            throw new InvalidArgsException(member + ".Value", $"{member}.Value must be at least 1.");
        }

        try
        {
            return v.Type switch
            {
                ValidityPeriodType.DAYS => now.AddDays(v.Value),
                ValidityPeriodType.MONTHS => now.AddMonths(checked((int)v.Value)),
                ValidityPeriodType.YEARS => now.AddYears(checked((int)v.Value)),
                ValidityPeriodType.ABSOLUTE => DateTimeOffset.FromUnixTimeSeconds(v.Value),
                ValidityPeriodType.END_DATE => DateTimeOffset.ParseExact(v.Value.ToString(CultureInfo.InvariantCulture), "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                _ => throw new InvalidArgsException(member + ".Type", $"{member}.Type {v.Type} is not one of END_DATE, ABSOLUTE, DAYS, MONTHS, YEARS."),
            };
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException or FormatException)
        {
            throw new InvalidArgsException(member + ".Value", $"{member}.Value {v.Value} is not a date a certificate can have.");
        }
    }
}
