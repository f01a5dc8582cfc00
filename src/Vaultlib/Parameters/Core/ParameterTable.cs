using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Keys;
using Vaultlib.Pipeline;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Vaultlib.Parameters;

/// <summary>
/// The state of Parameter Store in one region of one account: every parameter, kept in the vault as
/// the service <c>ssm/&lt;region&gt;/&lt;account&gt;</c> (one record per parameter, its versions
/// inside), an in-memory view, and a sorted index of names that serves GetParametersByPath and
/// DescribeParameters without scanning the store. Persistence is <see cref="RecordTable"/>'s.
/// </summary>
internal sealed partial class ParameterTable : RecordTable, IScheduledWork
{
    private const string ParametersCollection = "parameters";
    private const string EventsCollection = "events";

    /// <summary>How long an event's record stays in the store for other instances to read; an instance away longer misses it.</summary>
    public static TimeSpan EventRetention { get; } = TimeSpan.FromMinutes(10);

    // Event records by id (ids sort by time), so the expired ones are at the front. Changed only under the write gate.
    private readonly SortedDictionary<string, DateTimeOffset> _eventRecords = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, ParameterRecord> _parameters = new(StringComparer.Ordinal);
    private readonly bool _ownsKeys;
    // Every parameter in name order, with its record: a listing seeks once and then walks arrays.
    private NameIndex _index = NameIndex.Empty;

    // Each path's direct children in order, with their records: a one-level listing of a path reads its
    // own small set instead of seeking through the whole index (changed only under the write gate).
    private readonly ConcurrentDictionary<string, NameIndex> _children = new(StringComparer.Ordinal);
    private readonly bool _loaded;
    private int _advanced;

    public ParameterTable(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies, KeyService? keys)
        : base(vault, ownsVault, VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions()), timeProvider ?? TimeProvider.System, "ssm", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Parameters.ParameterStore"))
    {
        IdentityPolicies = identityPolicies ?? keys?.IdentityPolicies ?? new IdentityPolicyStore();
        _ownsKeys = keys is null;
        Keys = keys ?? new InMemoryKeyService(Options, Time, loggerFactory, auditSink, IdentityPolicies);
        Authorizer = new SsmAuthorizer(Options, IdentityPolicies, Time);
        AuditRecorder? audit = auditSink is null ? null : new AuditRecorder(auditSink, SsmAudit.Profile, Options, Time, Logger);
        Pipeline = new RequestPipeline(Logger, Authorizer, SsmErrors.Instance, audit);
        Account = new AccountResource($"arn:{Options.Partition}:ssm:{Options.Region}:{Options.AccountId}:*");
        Events = new ParameterEvents(Options, Logger);
        LoadAndFollow();
        _loaded = true;
    }

    /// <summary>The change events of this store, from this instance's commits and others' alike.</summary>
    public ParameterEvents Events { get; }

    /// <summary>
    /// The Secrets Manager of the same Region and account, which <c>/aws/reference/secretsmanager/</c> names read; set by
    /// the <see cref="VaultlibHost"/> that made both, null for a Parameter Store on its own.
    /// </summary>
    public Func<Secrets.SecretTable?>? SecretsManager { get; set; }

    public RequestPipeline Pipeline { get; }

    public SsmAuthorizer Authorizer { get; }

    public IdentityPolicyStore IdentityPolicies { get; }

    /// <summary>The KMS of the same region and account, which encrypts SecureStrings.</summary>
    public KeyService Keys { get; }

    public AccountResource Account { get; }

    /// <summary>The ARN of a parameter or path: <c>arn:aws:ssm:&lt;region&gt;:&lt;account&gt;:parameter/&lt;name without its leading /&gt;</c>.</summary>
    public string ArnOf(string name) => ArnOf(name.StartsWith('/') ? name.AsSpan(1) : name);

    /// <summary>The ARN of the parameter or path whose identity (its name without the leading <c>/</c>) is <paramref name="key"/>.</summary>
    public string ArnOf(ReadOnlySpan<char> key) => string.Concat(ParameterArnPrefix, key);

    /// <summary>What every parameter ARN here begins with: <c>arn:aws:ssm:&lt;region&gt;:&lt;account&gt;:parameter/</c>.</summary>
    private string ParameterArnPrefix => field ??= $"arn:{Options.Partition}:ssm:{Options.Region}:{Options.AccountId}:parameter/";

    public int Count => _parameters.Count;

    /// <summary>How many parameters are in <paramref name="tier"/> (kept as the view changes, for the quotas).</summary>
    public int CountInTier(ParameterTier tier) => tier == ParameterTier.Advanced ? Volatile.Read(ref _advanced) : _parameters.Count - Volatile.Read(ref _advanced);

    /// <summary>The parameter as held (an expiration that has fallen due but not yet run leaves it here; see <see cref="FindAsync"/>).</summary>
    public ParameterRecord? Find(string name) =>
        _parameters.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(ParameterNames.KeySpan(name), out ParameterRecord? record) ? record : null; // no key string made per read

    /// <summary>The parameter, with every policy that has fallen due applied first (an expired parameter is gone).</summary>
    /// <remarks>A parameter this view does not hold may have been put a moment ago by another instance sharing the vault: the view reads the store's changes once before answering that it does not exist.</remarks>
    public ValueTask<ParameterRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        ParameterRecord? record = Find(name);
        return record is null ? FindAfterCatchUpAsync(name, cancellationToken)
            : record.Latest.NextPolicyDue is { } due && due <= Now ? ApplyDueAsync(record.Key, cancellationToken)
            : new(record);
    }

    private async ValueTask<ParameterRecord?> FindAfterCatchUpAsync(string name, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        ParameterRecord? record = Find(name);
        return record?.Latest.NextPolicyDue is { } due && due <= Now ? await ApplyDueAsync(record.Key, cancellationToken).ConfigureAwait(false) : record;
    }

    /// <summary>
    /// The parameters directly under the path whose identity prefix is <paramref name="prefix"/> (<c>a/b/</c>, or empty
    /// for <c>/</c>), in name order, after <paramref name="afterKey"/>: from the path's own index of its children, so a
    /// path with few children is listed without passing its subtree.
    /// </summary>
    public IEnumerable<ParameterRecord> ChildrenOf(string prefix, string? afterKey = null) =>
        _children.TryGetValue(prefix, out NameIndex? children) ? children.From(afterKey ?? string.Empty, exclusive: afterKey is not null, string.Empty) : [];

    /// <summary>The parameters whose identity begins with <paramref name="prefix"/>, in name order, after <paramref name="afterKey"/>.</summary>
    public IEnumerable<ParameterRecord> WithPrefix(string prefix, string? afterKey = null)
    {
        bool after = afterKey is not null && string.CompareOrdinal(afterKey, prefix) >= 0;
        return Volatile.Read(ref _index).From(after ? afterKey! : prefix, exclusive: after, prefix);
    }

    /// <summary>Applies <paramref name="change"/> to the parameter named (null when there is none) and commits what it returns (null deletes).</summary>
    public ValueTask<ParameterRecord?> ChangeAsync(string name, Func<ParameterRecord?, ParameterRecord?> change, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                ParameterRecord? current = Find(name);
                ParameterRecord? updated = change(current);
                if (ReferenceEquals(updated, current))
                {
                    return current;
                }

                List<Change> changes = [updated is null ? Delete(current!) : Write(updated)];
                if (Events.Describe(current, updated, Now) is { } described)
                {
                    changes.Add(EventWrite(described));
                }

                changes.AddRange(ExpiredEvents());
                await CommitLockedAsync(changes, cancellationToken).ConfigureAwait(false);
                return updated;
            },
            cancellationToken);

    private Change Write(ParameterRecord record) =>
        new(ParametersCollection, record.Key, ParameterRecordCodec.Write(record), () => Publish(record));

    private Change Delete(ParameterRecord record) =>
        new(ParametersCollection, record.Key, null, () => Unpublish(record.Key));

    /// <summary>An event, as a record committed with the change it describes; delivered here once committed, and by every other instance once it reads it.</summary>
    private Change EventWrite(ParameterStoreEvent e) =>
        new(EventsCollection, e.Id, JsonSerializer.SerializeToUtf8Bytes(e, ParameterEventJsonContext.Default.ParameterStoreEvent), () =>
        {
            lock (_eventRecords)
            {
                _eventRecords[e.Id] = e.Time;
            }

            Events.Deliver(e);
        });

    /// <summary>Deletes of the event records older than <see cref="EventRetention"/>, made with the next change.</summary>
    private List<Change> ExpiredEvents()
    {
        DateTimeOffset cutoff = Now - EventRetention;
        lock (_eventRecords)
        {
            return [.. _eventRecords.TakeWhile(e => e.Value < cutoff).Take(64).Select(e => new Change(EventsCollection, e.Key, null, () => ForgetEvent(e.Key)))];
        }
    }

    private void ForgetEvent(string id)
    {
        lock (_eventRecords)
        {
            _eventRecords.Remove(id);
        }
    }

    private void Publish(ParameterRecord record)
    {
        bool existed = _parameters.TryGetValue(record.Key, out ParameterRecord? before);
        Interlocked.Add(ref _advanced, (record.Latest.Tier == ParameterTier.Advanced ? 1 : 0) - (existed && before!.Latest.Tier == ParameterTier.Advanced ? 1 : 0));
        _parameters[record.Key] = record;
        ImmutableInterlocked.Update(ref _index, static (index, r) => index.Set(r.Key, r), record);
        _children.AddOrUpdate(
            ParentPrefix(record.Key),
            static (_, r) => NameIndex.Empty.Set(r.Key, r),
            static (_, children, r) => children.Set(r.Key, r),
            record);
    }

    private void Unpublish(string key)
    {
        if (_parameters.TryRemove(key, out ParameterRecord? before) && before.Latest.Tier == ParameterTier.Advanced)
        {
            Interlocked.Decrement(ref _advanced);
        }

        ImmutableInterlocked.Update(ref _index, static (index, k) => index.Remove(k), key);
        string parent = ParentPrefix(key);
        if (_children.TryGetValue(parent, out NameIndex? children))
        {
            NameIndex remaining = children.Remove(key);
            if (remaining.Count == 0)
            {
                _children.TryRemove(parent, out _);
            }
            else
            {
                _children[parent] = remaining;
            }
        }
    }

    /// <summary>The identity prefix of a key's path: <c>a/b/</c> for <c>a/b/c</c>, empty for a root-level name.</summary>
    private static string ParentPrefix(string key) => key.LastIndexOf('/') is var slash and >= 0 ? key[..(slash + 1)] : string.Empty;

    protected override void ApplyRecord(RecordKey key, string location, ReadOnlyMemory<byte> plaintext)
    {
        if (key.Collection == EventsCollection)
        {
            ParameterStoreEvent e = ReadEvent(location, plaintext);
            bool seen;
            lock (_eventRecords)
            {
                seen = !_eventRecords.TryAdd(key.Id, e.Time);
            }

            if (_loaded && !seen)
            {
                Events.Deliver(e);
            }

            return;
        }

        if (key.Collection != ParametersCollection)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is of no collection Parameter Store keeps.");
        }

        ParameterRecord record = ParameterRecordCodec.Read(location, plaintext);
        if (record.Key != key.Id)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' holds parameter {record.Name}.");
        }

        Publish(record);
    }

    protected override void RemoveRecord(string collection, string id)
    {
        if (collection == EventsCollection)
        {
            ForgetEvent(id);
        }
        else
        {
            Unpublish(id);
        }
    }

    private static ParameterStoreEvent ReadEvent(string location, ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json.Span, ParameterEventJsonContext.Default.ParameterStoreEvent) ?? throw new JsonException("null event");
        }
        catch (JsonException ex)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but not an event this Vaultlib reads.", ex);
        }
    }

    protected override void DisposeView()
    {
        Events?.Dispose();
        _parameters.Clear();
        if (_ownsKeys)
        {
            Keys.Dispose();
        }
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"ParameterTable({Options.Region}, {Options.AccountId}, {_parameters.Count} parameters)";
}

/// <summary>Source-generated (AOT-safe) serialization of the event records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ParameterStoreEvent))]
internal sealed partial class ParameterEventJsonContext : JsonSerializerContext;
