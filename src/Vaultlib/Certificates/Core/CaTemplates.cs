using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vaultlib.Certificates;

/// <summary>
/// AWS Private CA's base templates (<c>arn:aws:acm-pca:::template/&lt;name&gt;/V1</c>), as AWS documents their
/// extensions: end-entity certificates (digital signature and key encipherment, server and client authentication or
/// one of them, not a CA), subordinate CA certificates with a path length of 0-3 and the root CA certificate (a CA,
/// certificate and CRL signing). The subject and its alternative names come from the CSR; the issuer adds the subject
/// and authority key identifiers.
/// </summary>
internal static class CaTemplates
{
    public const string Default = "arn:aws:acm-pca:::template/EndEntityCertificate/V1";

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>A template: whether it makes a CA, the path length (CAs), the key usages and extended key usages.</summary>
    public sealed record Template(string Name, bool IsCa, int? PathLength, X509KeyUsageFlags KeyUsage, string[] ExtendedKeyUsages);

    private static readonly Dictionary<string, Template> s_templates = new[]
    {
        new Template("EndEntityCertificate", false, null, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, [ServerAuth, ClientAuth]),
        new Template("EndEntityServerAuthCertificate", false, null, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, [ServerAuth]),
        new Template("EndEntityClientAuthCertificate", false, null, X509KeyUsageFlags.DigitalSignature, [ClientAuth]),
        new Template("SubordinateCACertificate_PathLen0", true, 0, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, []),
        new Template("SubordinateCACertificate_PathLen1", true, 1, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, []),
        new Template("SubordinateCACertificate_PathLen2", true, 2, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, []),
        new Template("SubordinateCACertificate_PathLen3", true, 3, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, []),
        new Template("RootCACertificate", true, null, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, []),
    }.ToDictionary(t => $"arn:aws:acm-pca:::template/{t.Name}/V1", StringComparer.Ordinal);

    /// <summary>The template an ARN names; another ARN is <see cref="InvalidArgsException"/>.</summary>
    public static Template Find(string? templateArn) =>
        s_templates.GetValueOrDefault(templateArn ?? Default)
        ?? throw new InvalidArgsException("TemplateArn", $"The template {templateArn} is not one of AWS Private CA's base templates that Vaultlib issues ({string.Join(", ", s_templates.Values.Select(t => t.Name))}).");

    /// <summary>Adds the template's extensions (and the key identifiers) to <paramref name="request"/>.</summary>
    public static void Apply(Template template, CertificateRequest request, X509Certificate2? issuer)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(template.IsCa, template.PathLength is not null, template.PathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(template.KeyUsage, critical: true));
        if (template.ExtendedKeyUsages.Length > 0)
        {
            var usages = new OidCollection();
            foreach (string oid in template.ExtendedKeyUsages)
            {
                usages.Add(new Oid(oid));
            }

            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        var subjectKey = new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false);
        request.CertificateExtensions.Add(subjectKey);
        if (issuer is not null)
        {
            X509SubjectKeyIdentifierExtension? issuerKey = issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault();
            request.CertificateExtensions.Add(issuerKey is not null
                ? X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKey)
                : X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: false, includeIssuerAndSerial: true));
        }
        else
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKey));
        }
    }
}
