using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates;

/// <summary>An <see cref="ASN1Subject"/> checked against AWS's limits and written as an X.500 name (in AWS's order: C, O, OU, DNQ, ST, CN, SERIALNUMBER, L, T, SN, G, I, PSEUDONYM, GQ).</summary>
internal static class CaSubjects
{
    private const string Member = "CertificateAuthorityConfiguration.Subject";

    public static void Validate(ASN1Subject? subject)
    {
        Internal.Validate.Required(Member, subject);
        Check("Country", subject!.Country, 2, 2);
        if (subject.Country is not null && !subject.Country.All(char.IsAsciiLetter))
        {
            throw new InvalidArgsException(Member + ".Country", "Country must be two letters.");
        }

        Check("Organization", subject.Organization, 0, 64);
        Check("OrganizationalUnit", subject.OrganizationalUnit, 0, 64);
        Printable("DistinguishedNameQualifier", subject.DistinguishedNameQualifier);
        Check("State", subject.State, 0, 128);
        Check("CommonName", subject.CommonName, 0, 64);
        Printable("SerialNumber", subject.SerialNumber);
        Check("Locality", subject.Locality, 0, 128);
        Check("Title", subject.Title, 0, 64);
        Check("Surname", subject.Surname, 0, 40);
        Check("GivenName", subject.GivenName, 0, 16);
        Check("Initials", subject.Initials, 0, 5);
        Check("Pseudonym", subject.Pseudonym, 0, 128);
        Check("GenerationQualifier", subject.GenerationQualifier, 0, 3);
        if (Parts(subject).All(p => string.IsNullOrEmpty(p.Value)))
        {
            throw new InvalidArgsException(Member, "The subject needs at least one attribute.");
        }
    }

    public static X500DistinguishedName ToName(ASN1Subject subject)
    {
        var builder = new X500DistinguishedNameBuilder();
        foreach ((string oid, string? value, UniversalTagNumber tag) in Parts(subject))
        {
            if (!string.IsNullOrEmpty(value))
            {
                builder.Add(oid, value, tag);
            }
        }

        return builder.Build();
    }

    private static IEnumerable<(string Oid, string? Value, UniversalTagNumber Tag)> Parts(ASN1Subject s) =>
    [
        ("2.5.4.6", s.Country?.ToUpperInvariant(), UniversalTagNumber.PrintableString),
        ("2.5.4.10", s.Organization, UniversalTagNumber.UTF8String),
        ("2.5.4.11", s.OrganizationalUnit, UniversalTagNumber.UTF8String),
        ("2.5.4.46", s.DistinguishedNameQualifier, UniversalTagNumber.PrintableString),
        ("2.5.4.8", s.State, UniversalTagNumber.UTF8String),
        ("2.5.4.3", s.CommonName, UniversalTagNumber.UTF8String),
        ("2.5.4.5", s.SerialNumber, UniversalTagNumber.PrintableString),
        ("2.5.4.7", s.Locality, UniversalTagNumber.UTF8String),
        ("2.5.4.12", s.Title, UniversalTagNumber.UTF8String),
        ("2.5.4.4", s.Surname, UniversalTagNumber.UTF8String),
        ("2.5.4.42", s.GivenName, UniversalTagNumber.UTF8String),
        ("2.5.4.43", s.Initials, UniversalTagNumber.UTF8String),
        ("2.5.4.65", s.Pseudonym, UniversalTagNumber.UTF8String),
        ("2.5.4.44", s.GenerationQualifier, UniversalTagNumber.UTF8String),
    ];

    private static void Check(string part, string? value, int min, int max)
    {
        if (value is not null && (value.Length < min || value.Length > max))
        {
            throw new InvalidArgsException($"{Member}.{part}", $"{part} must be {min}-{max} characters.");
        }
    }

    private static void Printable(string part, string? value)
    {
        Check(part, value, 0, 64);
        if (value is not null && value.Any(c => !char.IsAsciiLetterOrDigit(c) && "'()+-.?:/= ".IndexOf(c, StringComparison.Ordinal) < 0))
        {
            throw new InvalidArgsException($"{Member}.{part}", $"{part} must be a printable string (letters, digits and '()+-.?:/= ).");
        }
    }
}
