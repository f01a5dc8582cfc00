using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// <see cref="IDnsValidationResolver"/> over DnsClient.NET: asks the given DNS servers (the system's when none) for
/// CNAME records, without a cache, so a record just added is seen at the next check.
/// </summary>
public sealed class DnsClientValidationResolver : IDnsValidationResolver
{
    private readonly LookupClient _client;

    /// <summary>A resolver asking <paramref name="servers"/>, or the system's DNS servers when none are given.</summary>
    /// <param name="servers">The DNS servers to ask (e.g. one on loopback in tests).</param>
    public DnsClientValidationResolver(params IPEndPoint[] servers)
    {
        var options = servers.Length == 0 ? new LookupClientOptions() : new LookupClientOptions(servers);
        options.UseCache = false;
        options.Timeout = TimeSpan.FromSeconds(2);
        options.Retries = 1;
        options.ThrowDnsErrors = false;
        _client = new LookupClient(options);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> LookupCnameAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            IDnsQueryResponse response = await _client.QueryAsync(name, QueryType.CNAME, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return [.. response.Answers.CnameRecords().Select(r => r.CanonicalName.Value)];
        }
        catch (DnsResponseException ex)
        {
            throw new IOException($"The DNS lookup of {name} failed: {ex.Code}.", ex);
        }
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"DnsClientValidationResolver({string.Join(", ", _client.NameServers)})";
}
