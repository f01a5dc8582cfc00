using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Certificates;

namespace Vaultlib.AspNetCore;

/// <summary>
/// Endpoints for a private CA's published material (its CRL, its OCSP responder), mapped by the application where its certificates say to look:
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

    /// <summary>
    /// Answers OCSP (RFC 6960's HTTP binding) for the CAs of the <see cref="PrivateCertificateAuthority"/> registered in
    /// DI (or the one given): <c>POST {pattern}</c> with an <c>application/ocsp-request</c> body, and
    /// <c>GET {pattern}/{base64 request}</c>; answers <c>application/ocsp-response</c>. Give a CA
    /// <c>OcspCustomCname</c> = this server's host (and path) so its certificates point here.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="pattern">The responder's path (default <c>/ocsp</c>).</param>
    /// <param name="authority">The Private CA to answer for; the one from DI when null.</param>
    /// <returns>The endpoints' builder, for more conventions.</returns>
    public static IEndpointConventionBuilder MapVaultlibOcsp(this IEndpointRouteBuilder endpoints, string pattern = "/ocsp", PrivateCertificateAuthority? authority = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        const int MaxRequest = 64 * 1024;
        RouteGroupBuilder group = endpoints.MapGroup(pattern);
        group.MapPost("/", async (HttpContext http) =>
        {
            if (http.Request.ContentLength is > MaxRequest)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, http.RequestAborted).ConfigureAwait(false);
            if (body.Length > MaxRequest)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            PrivateCertificateAuthority pca = authority ?? http.RequestServices.GetRequiredService<PrivateCertificateAuthority>();
            return Results.Bytes(await pca.RespondToOcspAsync(body.ToArray(), http.RequestAborted).ConfigureAwait(false), "application/ocsp-response");
        });
        group.MapGet("/{**request}", async (string request, HttpContext http) =>
        {
            byte[] der;
            try
            {
                der = Convert.FromBase64String(Uri.UnescapeDataString(request));
            }
            catch (FormatException)
            {
                der = [];
            }

            PrivateCertificateAuthority pca = authority ?? http.RequestServices.GetRequiredService<PrivateCertificateAuthority>();
            return Results.Bytes(await pca.RespondToOcspAsync(der, http.RequestAborted).ConfigureAwait(false), "application/ocsp-response");
        });
        return group;
    }
}
