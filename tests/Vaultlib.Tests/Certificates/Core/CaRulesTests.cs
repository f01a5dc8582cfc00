using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vaultlib.Certificates;

namespace Vaultlib.Tests.Certificates.Core;

/// <summary>
/// The Private CA's rules one by one, at their edges (pinned after a mutation run): subjects and AWS's attribute
/// limits, validity arithmetic, each template's extensions, and the PEM and CSR readers.
/// </summary>
public sealed class CaRulesTests
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, int> SubjectLimits => new()
    {
        { "Organization", 64 }, { "OrganizationalUnit", 64 }, { "DistinguishedNameQualifier", 64 }, { "State", 128 }, { "CommonName", 64 }, { "SerialNumber", 64 },
        { "Locality", 128 }, { "Title", 64 }, { "Surname", 40 }, { "GivenName", 16 }, { "Initials", 5 }, { "Pseudonym", 128 }, { "GenerationQualifier", 3 },
    };

    private static ASN1Subject With(string part, string value) =>
        (ASN1Subject)typeof(ASN1Subject).GetMethod("<Clone>$")!.Invoke(new ASN1Subject(), null)! is var s && typeof(ASN1Subject).GetProperty(part)!.GetSetMethod(true) is { } setter
            ? Set(s, setter, value)
            : throw new InvalidOperationException();

    private static ASN1Subject Set(ASN1Subject subject, System.Reflection.MethodInfo setter, string value)
    {
        setter.Invoke(subject, [value]);
        return subject;
    }

    [Theory]
    [MemberData(nameof(SubjectLimits))]
    public void Every_subject_attribute_has_AWS_s_length(string part, int max)
    {
        CaSubjects.Validate(With(part, new string('a', max)));
        InvalidArgsException e = Assert.Throws<InvalidArgsException>(() => CaSubjects.Validate(With(part, new string('a', max + 1))));
        Assert.Equal($"CertificateAuthorityConfiguration.Subject.{part}", e.MemberName);
        Assert.Contains($"0-{max}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Countries_are_two_letters_printable_attributes_are_printable_and_a_subject_needs_something()
    {
        CaSubjects.Validate(new ASN1Subject { Country = "de" });
        foreach (string bad in new[] { "D", "DEU", "D1" })
        {
            Assert.Equal("CertificateAuthorityConfiguration.Subject.Country", Assert.Throws<InvalidArgsException>(() => CaSubjects.Validate(new ASN1Subject { Country = bad })).MemberName);
        }

        foreach (string part in new[] { "DistinguishedNameQualifier", "SerialNumber" })
        {
            CaSubjects.Validate(With(part, "Az09'()+-.?:/= "));
            InvalidArgsException e = Assert.Throws<InvalidArgsException>(() => CaSubjects.Validate(With(part, "a*b")));
            Assert.Equal($"CertificateAuthorityConfiguration.Subject.{part}", e.MemberName);
            Assert.Contains("printable", e.Message, StringComparison.Ordinal);
            Assert.Throws<InvalidArgsException>(() => CaSubjects.Validate(With(part, "é")));
        }

        Assert.Contains("at least one", Assert.Throws<InvalidArgsException>(() => CaSubjects.Validate(new ASN1Subject { CommonName = string.Empty })).Message, StringComparison.Ordinal);
        Assert.Throws<Vaultlib.Pipeline.RequestFault>(() => CaSubjects.Validate(null));
    }

    [Fact]
    public void A_subject_is_written_in_AWS_s_order_with_each_attribute_s_OID_and_string_type()
    {
        var subject = new ASN1Subject
        {
            Country = "us", Organization = "O", OrganizationalUnit = "OU", DistinguishedNameQualifier = "DNQ", State = "ST", CommonName = "CN", SerialNumber = "SN1",
            Locality = "L", Title = "T", Surname = "S", GivenName = "G", Initials = "I", Pseudonym = "P", GenerationQualifier = "III",
        };
        X500DistinguishedName name = CaSubjects.ToName(subject);
        var parts = name.EnumerateRelativeDistinguishedNames().Select(r => (r.GetSingleElementType().Value, r.GetSingleElementValue())).ToList();
        Assert.Equal(
            [("2.5.4.6", "US"), ("2.5.4.10", "O"), ("2.5.4.11", "OU"), ("2.5.4.46", "DNQ"), ("2.5.4.8", "ST"), ("2.5.4.3", "CN"), ("2.5.4.5", "SN1"), ("2.5.4.7", "L"), ("2.5.4.12", "T"), ("2.5.4.4", "S"), ("2.5.4.42", "G"), ("2.5.4.43", "I"), ("2.5.4.65", "P"), ("2.5.4.44", "III")],
            parts);

        // C, DNQ and SERIALNUMBER are PrintableString (tag 0x13); the others UTF8String (0x0C).
        byte[] der = name.RawData;
        foreach ((string text, byte tag) in new[] { ("US", (byte)0x13), ("DNQ", (byte)0x13), ("SN1", (byte)0x13), ("OU", (byte)0x0C), ("III", (byte)0x0C) })
        {
            byte[] needle = [tag, (byte)text.Length, .. Encoding.ASCII.GetBytes(text)];
            Assert.True(der.AsSpan().IndexOf(needle) >= 0, $"{text} as tag {tag:x2}");
        }
    }

    [Fact]
    public void Validity_types_and_their_edges()
    {
        DateTimeOffset End(ValidityPeriodType type, long value) => CaValidity.Compute(new Validity { Type = type, Value = value }, null, s_now, null, CertificateAuthorityUsageMode.GENERAL_PURPOSE).NotAfter;
        Assert.Equal(s_now.AddDays(1), End(ValidityPeriodType.DAYS, 1));
        Assert.Equal(new DateTimeOffset(2026, 4, 15, 12, 0, 0, TimeSpan.Zero), End(ValidityPeriodType.MONTHS, 1));
        Assert.Equal(new DateTimeOffset(2027, 3, 15, 12, 0, 0, TimeSpan.Zero), End(ValidityPeriodType.YEARS, 1));
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 12, 0, 1, TimeSpan.Zero), End(ValidityPeriodType.END_DATE, 20260315120001));
        Assert.Equal(s_now.AddSeconds(1), End(ValidityPeriodType.ABSOLUTE, s_now.ToUnixTimeSeconds() + 1));
        Assert.Equal(s_now - CaValidity.Backdate, CaValidity.Compute(new Validity { Type = ValidityPeriodType.DAYS, Value = 1 }, null, s_now, null, CertificateAuthorityUsageMode.GENERAL_PURPOSE).NotBefore);

        void Refused(string member, Validity? validity, Validity? notBefore = null, DateTimeOffset? caEnd = null, CertificateAuthorityUsageMode usage = CertificateAuthorityUsageMode.GENERAL_PURPOSE) =>
            Assert.Equal(member, Assert.Throws<InvalidArgsException>(() => CaValidity.Compute(validity, notBefore, s_now, caEnd, usage)).MemberName);

        Refused("Validity", null);
        Refused("Validity.Value", new Validity { Type = ValidityPeriodType.DAYS, Value = 0 });
        Refused("Validity", new Validity { Type = ValidityPeriodType.END_DATE, Value = 20260315120000 }); // ends now
        Refused("Validity", new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = s_now.AddDays(2).ToUnixTimeSeconds() }, new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = s_now.AddDays(2).ToUnixTimeSeconds() }); // ends as it starts
        Refused("Validity.Value", new Validity { Type = ValidityPeriodType.MONTHS, Value = (long)int.MaxValue + 1 });
        Refused("Validity.Value", new Validity { Type = ValidityPeriodType.YEARS, Value = (long)int.MaxValue + 1 });
        Refused("Validity.Value", new Validity { Type = ValidityPeriodType.MONTHS, Value = (1L << 32) + 12 }); // not 12 months by a cast that wraps
        Refused("Validity.Value", new Validity { Type = ValidityPeriodType.YEARS, Value = (1L << 32) + 1 });
        Refused("ValidityNotBefore.Value", new Validity { Type = ValidityPeriodType.DAYS, Value = 3 }, new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = 0 });
        Refused("Validity.Value", new Validity { Type = ValidityPeriodType.END_DATE, Value = 20260230000000 });
        Refused("Validity.Type", new Validity { Type = (ValidityPeriodType)99, Value = 1 });
        Refused("ValidityNotBefore", new Validity { Type = ValidityPeriodType.DAYS, Value = 3 }, new Validity { Type = ValidityPeriodType.YEARS, Value = 1 });

        // The CA's end: reaching it is fine, passing it or starting at it is not.
        var day = new Validity { Type = ValidityPeriodType.DAYS, Value = 1 };
        Assert.Equal(s_now.AddDays(1), CaValidity.Compute(day, null, s_now, s_now.AddDays(1), CertificateAuthorityUsageMode.GENERAL_PURPOSE).NotAfter);
        Refused("Validity", day, caEnd: s_now.AddDays(1).AddTicks(-1));
        Refused("Validity", new Validity { Type = ValidityPeriodType.DAYS, Value = 3 }, new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = s_now.AddDays(2).ToUnixTimeSeconds() }, caEnd: s_now.AddDays(2));

        // A short-lived CA: seven days (and the hour's backdating) at most.
        Assert.Equal(s_now.AddDays(7), CaValidity.Compute(new Validity { Type = ValidityPeriodType.DAYS, Value = 7 }, null, s_now, null, CertificateAuthorityUsageMode.SHORT_LIVED_CERTIFICATE).NotAfter);
        Refused("Validity", new Validity { Type = ValidityPeriodType.ABSOLUTE, Value = s_now.AddDays(7).ToUnixTimeSeconds() + 1 }, usage: CertificateAuthorityUsageMode.SHORT_LIVED_CERTIFICATE);
    }

    public static TheoryData<string, bool, int?, X509KeyUsageFlags, string[]> Templates => new()
    {
        { "EndEntityCertificate", false, null, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"] },
        { "EndEntityServerAuthCertificate", false, null, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, ["1.3.6.1.5.5.7.3.1"] },
        { "EndEntityClientAuthCertificate", false, null, X509KeyUsageFlags.DigitalSignature, ["1.3.6.1.5.5.7.3.2"] },
        { "SubordinateCACertificate_PathLen0", true, 0, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, [] },
        { "SubordinateCACertificate_PathLen1", true, 1, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, [] },
        { "SubordinateCACertificate_PathLen2", true, 2, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, [] },
        { "SubordinateCACertificate_PathLen3", true, 3, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, [] },
        { "RootCACertificate", true, null, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, [] },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Each_template_writes_its_extensions(string name, bool isCa, int? pathLength, X509KeyUsageFlags usage, string[] extendedUsages)
    {
        CaTemplates.Template template = CaTemplates.Find($"arn:aws:acm-pca:::template/{name}/V1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=t", key, HashAlgorithmName.SHA256);
        CaTemplates.Apply(template, request, issuer: null);
        using X509Certificate2 c = request.CreateSelfSigned(s_now, s_now.AddDays(1));

        X509BasicConstraintsExtension constraints = c.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.Equal((isCa, pathLength is not null, pathLength ?? 0, true), (constraints.CertificateAuthority, constraints.HasPathLengthConstraint, constraints.PathLengthConstraint, constraints.Critical));
        X509KeyUsageExtension keyUsage = c.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal((usage, true), (keyUsage.KeyUsages, keyUsage.Critical));
        X509EnhancedKeyUsageExtension? eku = c.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault();
        if (extendedUsages.Length == 0)
        {
            Assert.Null(eku); // CA templates carry no extended key usage extension at all
        }
        else
        {
            Assert.Equal(extendedUsages, eku!.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToArray());
            Assert.False(eku.Critical);
        }

        // Self-issued: the authority key id is its own subject key id, which is not critical (RFC 5280, 4.2.1.2).
        X509SubjectKeyIdentifierExtension ski = c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        Assert.False(ski.Critical);
        byte[] subjectKey = ski.SubjectKeyIdentifierBytes.ToArray();
        Assert.Equal(subjectKey, c.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.ToArray());
    }

    [Fact]
    public void An_issuer_with_a_subject_key_id_is_named_by_it()
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = new CertificateRequest("CN=issuer", issuerKey, HashAlgorithmName.SHA256);
        CaTemplates.Apply(CaTemplates.Find("arn:aws:acm-pca:::template/RootCACertificate/V1"), issuerRequest, issuer: null);
        using X509Certificate2 issuer = issuerRequest.CreateSelfSigned(s_now, s_now.AddDays(9));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=t", key, HashAlgorithmName.SHA256);
        CaTemplates.Apply(CaTemplates.Find(null), request, issuer);
        X509AuthorityKeyIdentifierExtension authority = request.CertificateExtensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Equal(issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(), authority.KeyIdentifier!.Value.ToArray());
        Assert.Null(authority.SerialNumber);
    }

    [Fact]
    public void An_issuer_without_a_subject_key_id_is_named_by_issuer_and_serial_and_unknown_templates_are_refused()
    {
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 issuer = new CertificateRequest("CN=bare issuer", issuerKey, HashAlgorithmName.SHA256).CreateSelfSigned(s_now, s_now.AddDays(9));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=t", key, HashAlgorithmName.SHA256);
        CaTemplates.Apply(CaTemplates.Find(null), request, issuer);
        X509AuthorityKeyIdentifierExtension authority = request.CertificateExtensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
        Assert.Null(authority.KeyIdentifier);
        Assert.Equal(issuer.SerialNumberBytes.ToArray(), authority.SerialNumber!.Value.ToArray());
        Assert.Equal("EndEntityCertificate", CaTemplates.Find(null).Name);

        InvalidArgsException e = Assert.Throws<InvalidArgsException>(() => CaTemplates.Find("arn:aws:acm-pca:::template/CodeSigningCertificate/V1"));
        Assert.Equal("TemplateArn", e.MemberName);
        Assert.Contains("RootCACertificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PEM_and_DER_are_read_and_anything_else_is_malformed()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 one = new CertificateRequest("CN=one", key, HashAlgorithmName.SHA256).CreateSelfSigned(s_now, s_now.AddDays(1));
        using X509Certificate2 two = new CertificateRequest("CN=two", key, HashAlgorithmName.SHA256).CreateSelfSigned(s_now, s_now.AddDays(1));
        string keyPem = key.ExportPkcs8PrivateKeyPem();

        // Other PEM blocks are skipped; DER is read as one certificate.
        List<X509Certificate2> read = CaPem.ReadAll(Encoding.ASCII.GetBytes(keyPem + "\n" + one.ExportCertificatePem() + "\n" + two.ExportCertificatePem()), "CertificateChain");
        Assert.Equal(["CN=one", "CN=two"], read.Select(c => c.Subject));
        read.ForEach(c => c.Dispose());
        using (X509Certificate2 der = CaPem.ReadOne(one.RawData, "Certificate"))
        {
            Assert.Equal("CN=one", der.Subject);
        }

        Assert.Contains("CertificateChain", Assert.Throws<MalformedCertificateException>(() => CaPem.ReadAll("garbage"u8, "CertificateChain")).Message, StringComparison.Ordinal);

        // A block whose BEGIN line is not on a line of its own is refused, not silently dropped.
        Assert.Throws<MalformedCertificateException>(() => CaPem.ReadAll(Encoding.ASCII.GetBytes(keyPem + one.ExportCertificatePem() + "\n" + two.ExportCertificatePem()), "CertificateChain"));
        Assert.Contains("exactly one", Assert.Throws<MalformedCertificateException>(() => CaPem.ReadOne(Encoding.ASCII.GetBytes(one.ExportCertificatePem() + "\n" + two.ExportCertificatePem()), "Certificate")).Message, StringComparison.Ordinal);

        var csr = new CertificateRequest("CN=csr", key, HashAlgorithmName.SHA256);
        Assert.Equal("CN=csr", CaPem.ReadCsr(csr.CreateSigningRequest(), HashAlgorithmName.SHA256).SubjectName.Name);
        Assert.Equal("CN=csr", CaPem.ReadCsr(Encoding.ASCII.GetBytes(csr.CreateSigningRequestPem()), HashAlgorithmName.SHA256).SubjectName.Name);
        Assert.Contains("PKCS#10", Assert.Throws<MalformedCSRException>(() => CaPem.ReadCsr("nonsense"u8, HashAlgorithmName.SHA256)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyAlgorithm.RSA_2048, typeof(RSA))]
    [InlineData(KeyAlgorithm.EC_secp521r1, typeof(ECDsa))]
    public void Keys_round_trip_through_PKCS8_in_their_family(KeyAlgorithm algorithm, Type family)
    {
        using AsymmetricAlgorithm key = CaKeys.Create(algorithm);
        using AsymmetricAlgorithm imported = CaKeys.Import(algorithm, key.ExportPkcs8PrivateKey());
        Assert.IsAssignableFrom(family, imported);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), imported.ExportSubjectPublicKeyInfo());
        Assert.Contains("not supported", Assert.Throws<InvalidArgsException>(() => CaKeys.Create(KeyAlgorithm.SM2)).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => CaKeys.Import(algorithm, [0x30, 0x03, 0x02, 0x01, 0x00]));
    }
}
