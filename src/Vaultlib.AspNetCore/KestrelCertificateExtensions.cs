using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Vaultlib.Certificates.Acm;

namespace Vaultlib.AspNetCore;

/// <summary>
/// Kestrel serving HTTPS with ACM's certificates: per connection, the certificate
/// <see cref="CertificateManager.FindServerCertificate"/> picks for the host name the client asked for (SNI), with its
/// chain, so a managed renewal (or a re-import) is served from the next handshake on, with no restart.
/// </summary>
public static class KestrelCertificateExtensions
{
    /// <summary>
    /// Serves HTTPS on this endpoint with ACM's certificates: the current one for each connection's host name (or
    /// <paramref name="defaultHostName"/> when the client sends none), with the chain above it. A connection for a host
    /// no issued certificate names is refused in the handshake.
    /// </summary>
    /// <param name="listenOptions">The Kestrel endpoint.</param>
    /// <param name="certificates">The ACM whose certificates are served; the application's registered <see cref="CertificateManager"/> when null.</param>
    /// <param name="defaultHostName">The host name for clients that send no SNI (e.g. a connection by IP address).</param>
    /// <returns>The endpoint.</returns>
    public static ListenOptions UseVaultlibHttps(this ListenOptions listenOptions, CertificateManager? certificates = null, string? defaultHostName = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        var contexts = new ConcurrentDictionary<ServerCertificate, SslStreamCertificateContext>();
        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context =>
            {
                CertificateManager manager = certificates ?? listenOptions.ApplicationServices.GetRequiredService<CertificateManager>();
                string host = string.IsNullOrEmpty(context.ClientHelloInfo.ServerName) ? defaultHostName ?? string.Empty : context.ClientHelloInfo.ServerName;
                ServerCertificate served = (host.Length == 0 ? null : manager.FindServerCertificate(host))
                    ?? throw new AuthenticationException($"No issued certificate names the host '{host}'.");
                SslStreamCertificateContext certificate = contexts.GetOrAdd(served, static s => SslStreamCertificateContext.Create(s.Certificate, s.Chain, offline: true));
                foreach (ServerCertificate stale in contexts.Keys.Where(k => !ReferenceEquals(k, served) && k.CertificateArn == served.CertificateArn))
                {
                    contexts.TryRemove(stale, out _);
                }

                return ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = certificate });
            },
        });
    }

    /// <summary>
    /// Picks this HTTPS configuration's server certificate from ACM per connection (by SNI host name, or
    /// <paramref name="defaultHostName"/>), as <see cref="UseVaultlibHttps"/> does, but through
    /// <see cref="HttpsConnectionAdapterOptions.ServerCertificateSelector"/>: the leaf alone is sent, so use it for
    /// certificates issued straight by a root the clients trust (the local public-like root, a Private CA root).
    /// </summary>
    /// <param name="options">The HTTPS options (e.g. in <c>KestrelServerOptions.ConfigureHttpsDefaults</c>).</param>
    /// <param name="certificates">The ACM whose certificates are served.</param>
    /// <param name="defaultHostName">The host name for clients that send no SNI.</param>
    /// <returns>The options.</returns>
    public static HttpsConnectionAdapterOptions UseVaultlibCertificates(this HttpsConnectionAdapterOptions options, CertificateManager certificates, string? defaultHostName = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(certificates);
        options.ServerCertificateSelector = (_, hostName) =>
            (string.IsNullOrEmpty(hostName) ? defaultHostName : hostName) is { Length: > 0 } host ? certificates.FindServerCertificate(host)?.Certificate : null;
        return options;
    }
}
