using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Certificates;

namespace Vaultlib.AspNetCore;

/// <summary>
/// Endpoints for a private CA's published material, mapped by the application where its certificates say to look:
/// the CRL at <c>/crl/&lt;CA id&gt;.crl</c>, AWS's path, which the CRL distribution point of every certificate a CA with
/// <c>CrlConfiguration.CustomCname</c> issues names (<c>http://&lt;CustomCname&gt;/crl/&lt;CA id&gt;.crl</c>).
/// </summary>
public static class CertificateAuthorityEndpoints
{
    /// <summary>
    /// Serves every CA's current CRL (DER, <c>application/pkix-crl</c>) at <c>GET {prefix}/crl/{id}.crl</c>, from the
    /// <see cref="PrivateCertificateAuthority"/> registered in DI (or the one given). Anonymous, as a CRL is public; a CA
    /// that does not exist or publishes no CRL is 404.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="authority">The Private CA to serve; the one from DI (<c>AddVaultlib()</c>) when null.</param>
    /// <param name="prefix">A path prefix before <c>/crl</c> (none by default).</param>
    /// <returns>The endpoint's builder, for more conventions.</returns>
    public static IEndpointConventionBuilder MapVaultlibCrl(this IEndpointRouteBuilder endpoints, PrivateCertificateAuthority? authority = null, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(prefix.TrimEnd('/') + "/crl/{file}", async (string file, HttpContext http) =>
        {
            PrivateCertificateAuthority pca = authority ?? http.RequestServices.GetRequiredService<PrivateCertificateAuthority>();
            if (!file.EndsWith(".crl", StringComparison.Ordinal) || !Guid.TryParse(file.AsSpan(0, file.Length - 4), out _))
            {
                return Results.NotFound();
            }

            try
            {
                ReadOnlyMemory<byte> crl = await pca.GetCertificateRevocationListAsync(file[..^4], http.RequestAborted).ConfigureAwait(false);
                return Results.Bytes(crl, "application/pkix-crl");
            }
            catch (PrivateCaException ex) when (ex is ResourceNotFoundException or InvalidStateException or InvalidArnException)
            {
                return Results.NotFound();
            }
        });
    }
}
