using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Vaultlib.Tests.TestSupport;

/// <summary>
/// A real DNS server (ARSoft.Tools.Net) on a loopback UDP port, serving the CNAME records a test adds, as a user adds
/// them to their zone; every other name is NXDOMAIN.
/// </summary>
public sealed class LoopbackDnsServer : IDisposable
{
    private readonly ConcurrentDictionary<string, string> _cnames = new(StringComparer.OrdinalIgnoreCase);
    private readonly DnsServer _server;
    private int _queries;

    public LoopbackDnsServer()
    {
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            EndPoint = (IPEndPoint)probe.Client.LocalEndPoint!;
        }

        _server = new DnsServer(new UdpServerTransport(EndPoint));
        _server.QueryReceived += OnQueryAsync;
        _server.Start();
    }

    /// <summary>Where the server listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>How many queries it has answered.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Adds (or replaces) a CNAME record.</summary>
    public void AddCname(string name, string target) => _cnames[name.TrimEnd('.')] = target;

    /// <summary>Removes a CNAME record.</summary>
    public void Remove(string name) => _cnames.TryRemove(name.TrimEnd('.'), out _);

    private Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        Interlocked.Increment(ref _queries);
        if (e.Query is not DnsMessage query)
        {
            return Task.CompletedTask;
        }

        DnsMessage response = query.CreateResponseInstance();
        DnsQuestion? question = query.Questions.Count == 1 ? query.Questions[0] : null;
        string name = question?.Name.ToString().TrimEnd('.') ?? string.Empty;
        if (question is { RecordType: RecordType.CName } && _cnames.TryGetValue(name, out string? target))
        {
            response.ReturnCode = ReturnCode.NoError;
            response.AnswerRecords.Add(new CNameRecord(question.Name, 60, DomainName.Parse(target.TrimEnd('.'))));
        }
        else
        {
            response.ReturnCode = ReturnCode.NxDomain;
        }

        e.Response = response;
        return Task.CompletedTask;
    }

    public void Dispose() => _server.Stop();
}
