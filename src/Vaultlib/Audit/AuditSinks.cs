using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Vaultlib.Audit;

/// <summary>Receives every audit event of every Vaultlib service. Implementations must be thread-safe.</summary>
public interface IAuditSink
{
    /// <summary>Records one event.</summary>
    void Write(AuditEvent auditEvent);
}

/// <summary>Keeps events in memory and answers "audit usage" questions: the events of one resource between two times.</summary>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();

    /// <summary>Every event so far, oldest first.</summary>
    public IReadOnlyList<AuditEvent> Events => [.. _events];

    /// <inheritdoc/>
    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        _events.Enqueue(auditEvent);
    }

    /// <summary>Forgets every event recorded so far.</summary>
    public void Clear() => _events.Clear();

    /// <summary>The events that name <paramref name="resourceArn"/> (all when null), from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), optionally of one operation.</summary>
    public IReadOnlyList<AuditEvent> Query(string? resourceArn = null, DateTimeOffset? from = null, DateTimeOffset? to = null, string? eventName = null) =>
        [.. _events.Where(e =>
            (resourceArn is null || e.Resources.Any(r => r.ARN == resourceArn))
            && (from is null || e.EventTime >= from)
            && (to is null || e.EventTime < to)
            && (eventName is null || e.EventName == eventName))];
}

/// <summary>
/// Appends one JSON line per event to a file, flushed before <see cref="Write"/> returns. Writers in
/// one process share a lock per file, so lines never interleave; the file is only ever appended to.
/// </summary>
public sealed class JsonLinesAuditSink : IAuditSink, IDisposable
{
    private static readonly ConcurrentDictionary<string, object> s_gates = new(StringComparer.Ordinal);
    private readonly FileStream _stream;
    private readonly object _gate;

    /// <summary>Opens (or creates) <paramref name="path"/> for appending.</summary>
    public JsonLinesAuditSink(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        _gate = s_gates.GetOrAdd(Path, _ => new object());
        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>The file (absolute).</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        byte[] line = Encoding.UTF8.GetBytes(auditEvent.ToJson() + "\n");
        lock (_gate)
        {
            _stream.Seek(0, SeekOrigin.End);
            _stream.Write(line);
            _stream.Flush();
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _stream.Dispose();
}

/// <summary>Writes each event as one JSON log line (event id 2000, category <c>Vaultlib.Audit</c>).</summary>
public sealed partial class LoggerAuditSink : IAuditSink
{
    private readonly ILogger _logger;

    /// <summary>Logs through <paramref name="loggerFactory"/>.</summary>
    public LoggerAuditSink(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger("Vaultlib.Audit");
    }

    /// <inheritdoc/>
    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        AuditRecorded(_logger, auditEvent.ToJson());
    }

    [LoggerMessage(2000, LogLevel.Information, "{AuditRecord}", EventName = "AuditRecord")]
    private static partial void AuditRecorded(ILogger logger, string auditRecord);
}

/// <summary>Sends each event to several sinks; a failing sink does not stop the others.</summary>
internal sealed class CompositeAuditSink(IReadOnlyList<IAuditSink> sinks) : IAuditSink
{
    public void Write(AuditEvent auditEvent)
    {
        List<Exception>? failures = null;
        foreach (IAuditSink sink in sinks)
        {
            try
            {
                sink.Write(auditEvent);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                (failures ??= []).Add(ex);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("One or more audit sinks failed.", failures);
        }
    }
}
