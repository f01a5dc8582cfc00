using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Internal;
using Vaultlib.Pipeline;
using Vaultlib.Storage;

namespace Vaultlib.Certificates.Acm;

/// <summary>
/// The state of ACM in one Region of one account, kept in the vault as the service <c>acm/&lt;region&gt;/&lt;account&gt;</c>:
/// one record per certificate (its private key inside, sealed), the account's record (the secret the DNS validation
/// records derive from, and the local public-like root with its key, sealed), and the events, each committed with the
/// change that caused it. The time-driven work (validation checks, time-outs, renewals, expiry) is
/// <see cref="AcmLifecycle"/>'s. Persistence is <see cref="RecordTable"/>'s.
/// </summary>
internal sealed class AcmTable : RecordTable
{
    private const string CertificatesCollection = "certificates";
    private const string AccountCollection = "account";
    private const string EventsCollection = "events";
    private const string AccountId = "root";

    /// <summary>How long event records are kept for instances that read the feed late.</summary>
    private static readonly TimeSpan s_eventRetention = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, AcmRecord> _certificates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AsymmetricAlgorithm> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _eventRecords = new(StringComparer.Ordinal);
    private LocalRoot? _root;
    private readonly bool _loaded;

    public AcmTable(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies, CertificateManagerSettings? settings)
        : base(vault, ownsVault, VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions()), timeProvider ?? TimeProvider.System, "acm", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Certificates.Acm.CertificateManager"))
    {
        Settings = settings ?? new CertificateManagerSettings();
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        Resolver = Settings.DnsResolver ?? new DnsClientValidationResolver();
        Mail = Settings.EmailSender ?? new LoggingValidationEmailSender(Logger);
        AuditRecorder? audit = auditSink is null ? null : new AuditRecorder(auditSink, AcmAudit.Profile, Options, Time, Logger);
        Pipeline = new RequestPipeline(Logger, new AcmAuthorizer(Options, IdentityPolicies, Time), AcmErrors.Instance, audit);
        ArnPrefix = $"arn:{Options.Partition}:acm:{Options.Region}:{Options.AccountId}:certificate/";
        Account = new AccountResource("*");
        Events = new EventDispatcher<CertificateManagerEvent>(Logger, "acm", static e => e.DetailType);
        Lifecycle = new AcmLifecycle(this);
        LoadAndFollow();
        _loaded = true;
    }

    public RequestPipeline Pipeline { get; }

    public IdentityPolicyStore IdentityPolicies { get; }

    public CertificateManagerSettings Settings { get; }

    public IDnsValidationResolver Resolver { get; }

    public IValidationEmailSender Mail { get; }

    public EventDispatcher<CertificateManagerEvent> Events { get; }

    public AcmLifecycle Lifecycle { get; }

    /// <summary>What every certificate ARN here begins with.</summary>
    public string ArnPrefix { get; }

    /// <summary>The account itself, for operations that name no certificate.</summary>
    public AccountResource Account { get; }

    /// <summary>Every certificate, in no order.</summary>
    public ICollection<AcmRecord> All => _certificates.Values;

    /// <summary>The local public-like root, once made.</summary>
    public LocalRoot? Root => _root;

    public AcmRecord? Find(string id) => _certificates.GetValueOrDefault(id);

    /// <summary>The id in a certificate ARN of this Region and account; anything else is <see cref="InvalidArnException"/>.</summary>
    public string IdOf(string arn) =>
        IdAfter(ArnPrefix, arn) ?? throw new InvalidArnException($"The certificate ARN {arn} is not an ACM certificate ARN of {Options.Region} in {Options.AccountId}.");

    /// <summary>The certificate an ARN names, reading the store's changes once before answering that there is none; status changes that fell due (time-outs, expiry) are applied first.</summary>
    public async ValueTask<AcmRecord> ResolveAsync(string arn, CancellationToken cancellationToken)
    {
        string id = IdOf(arn);
        AcmRecord record = await FindOrCatchUpAsync(() => _certificates.GetValueOrDefault(id), cancellationToken).ConfigureAwait(false) ?? throw AcmErrors.NotFound(arn);
        return await Lifecycle.ApplyLapsesAsync(record, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The certificate's private key, loaded.</summary>
    public AsymmetricAlgorithm? KeyOf(string id) => _keys.GetValueOrDefault(id);

    /// <summary>Reads the store's changes now (before an answer that must be current).</summary>
    public ValueTask CatchUpOnceAsync(CancellationToken cancellationToken) => CatchUpAsync(cancellationToken);

    /// <summary>The account's secret and local root, made (and committed) the first time they are needed.</summary>
    public async ValueTask<LocalRoot> EnsureRootAsync(CancellationToken cancellationToken)
    {
        if (_root is { } ready)
        {
            return ready;
        }

        return await ExclusiveAsync(
            async () =>
            {
                if (_root is { } made)
                {
                    return made;
                }

                byte[] secret = RandomNumberGenerator.GetBytes(32);
                var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
                var request = new CertificateRequest($"CN=Vaultlib Local Public Root CA {Options.AccountId}, O=Vaultlib, OU=acm {Options.Region}", key, HashAlgorithmName.SHA384);
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
                using X509Certificate2 self = request.CreateSelfSigned(Now.AddMinutes(-5), Now.AddYears(25));
                var record = new AcmAccountRecord { Secret = secret, RootCertificate = self.RawData };
                await CommitLockedAsync([WriteAccount(record, key)], cancellationToken).ConfigureAwait(false);
                return _root!;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds or replaces a certificate (under the write gate): <paramref name="change"/> sees the one held (null when none) and returns what to write, with its new key if it has one, and the events to commit with it; returning the held record writes nothing.</summary>
    public ValueTask<AcmRecord?> ChangeAsync(string id, Func<AcmRecord?, (AcmRecord? Next, AsymmetricAlgorithm? NewKey, IReadOnlyList<CertificateManagerEvent> Events)> change, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                AcmRecord? current = _certificates.GetValueOrDefault(id);
                (AcmRecord? next, AsymmetricAlgorithm? newKey, IReadOnlyList<CertificateManagerEvent> events) = change(current);
                if (ReferenceEquals(next, current))
                {
                    return current;
                }

                List<Change> changes = [];
                if (next is null)
                {
                    changes.Add(new Change(CertificatesCollection, id, null, () => RemoveRecord(CertificatesCollection, id)));
                }
                else
                {
                    changes.Add(WriteCertificate(next, newKey ?? _keys.GetValueOrDefault(id)));
                }

                changes.AddRange(events.Select(EventWrite));
                changes.AddRange(ExpiredEvents());
                await CommitLockedAsync(changes, cancellationToken).ConfigureAwait(false);
                return next;
            },
            cancellationToken);

    /// <summary>The deletes of the event records older than the retention, made with the next change.</summary>
    private List<Change> ExpiredEvents()
    {
        DateTimeOffset cutoff = Now - s_eventRetention;
        lock (_eventRecords)
        {
            return [.. _eventRecords.Where(e => e.Value < cutoff).Select(e => e.Key).ToList().Select(id => new Change(EventsCollection, id, null, () => RemoveRecord(EventsCollection, id)))];
        }
    }

    /// <summary>An event of <paramref name="detailType"/> about <paramref name="record"/>, with an id that sorts by time.</summary>
    public CertificateManagerEvent Event(string detailType, AcmRecord record, DateTimeOffset time, CertificateManagerEventDetail detail) => new()
    {
        Id = $"{time.UtcTicks:D20}-{Guid.NewGuid():N}",
        DetailType = detailType,
        Account = Options.AccountId,
        Region = Options.Region,
        Time = time,
        Resources = [record.Arn],
        Detail = detail,
    };

    private Change EventWrite(CertificateManagerEvent e) =>
        new(EventsCollection, e.Id, JsonSerializer.SerializeToUtf8Bytes(e, AcmRecordJsonContext.Default.CertificateManagerEvent), () =>
        {
            lock (_eventRecords)
            {
                _eventRecords[e.Id] = e.Time;
            }

            Events.Deliver(e);
        });

    /// <summary>The record written for a certificate: with its key exported (PKCS#8) only into the bytes sealed and zeroed after.</summary>
    private Change WriteCertificate(AcmRecord record, AsymmetricAlgorithm? key) =>
        WriteWithPrivateKey(CertificatesCollection, record.Id, key, pkcs8 => JsonSerializer.SerializeToUtf8Bytes(record with { PrivateKey = pkcs8 }, AcmRecordJsonContext.Default.AcmRecord), () => PublishCertificate(record, key));

    private Change WriteAccount(AcmAccountRecord record, AsymmetricAlgorithm rootKey) =>
        WriteWithPrivateKey(AccountCollection, AccountId, rootKey, pkcs8 => JsonSerializer.SerializeToUtf8Bytes(record with { RootKey = pkcs8 }, AcmRecordJsonContext.Default.AcmAccountRecord), () => PublishRoot(record, rootKey));

    private void PublishCertificate(AcmRecord record, AsymmetricAlgorithm? key)
    {
        _certificates[record.Id] = record with { PrivateKey = null };
        AsymmetricAlgorithm? held = _keys.GetValueOrDefault(record.Id);
        if (key is null)
        {
            _keys.TryRemove(record.Id, out _);
        }
        else
        {
            _keys[record.Id] = key;
        }

        if (held is not null && !ReferenceEquals(held, key))
        {
            held.Dispose();
        }
    }

    private void PublishRoot(AcmAccountRecord record, AsymmetricAlgorithm key)
    {
        LocalRoot? held = _root;
        _root = new LocalRoot(record.Secret, (ECDsa)key, X509CertificateLoader.LoadCertificate(record.RootCertificate));
        held?.Dispose();
    }

    protected override void OnChanged(IReadOnlyList<Change>? committed) => Lifecycle.NotifyDueTimeChanged();

    protected override void ApplyRecord(RecordKey key, string location, ReadOnlyMemory<byte> plaintext)
    {
        try
        {
            switch (key.Collection)
            {
                case CertificatesCollection:
                    AcmRecord record = JsonSerializer.Deserialize(plaintext.Span, AcmRecordJsonContext.Default.AcmRecord) ?? throw new JsonException("null certificate");
                    byte[]? pkcs8 = record.PrivateKey;
                    try
                    {
                        PublishCertificate(record, pkcs8 is null ? null : AcmKeys.Import(record.KeyAlgorithm, pkcs8));
                    }
                    finally
                    {
                        if (pkcs8 is not null)
                        {
                            CryptographicOperations.ZeroMemory(pkcs8);
                        }
                    }

                    break;
                case AccountCollection:
                    AcmAccountRecord account = JsonSerializer.Deserialize(plaintext.Span, AcmRecordJsonContext.Default.AcmAccountRecord) ?? throw new JsonException("null account");
                    byte[] rootKey = account.RootKey ?? throw new JsonException("an account without its root key");
                    try
                    {
                        PublishRoot(account with { RootKey = null }, CaKeys.Import(rsa: false, rootKey));
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(rootKey);
                    }

                    break;
                case EventsCollection:
                    CertificateManagerEvent e = JsonSerializer.Deserialize(plaintext.Span, AcmRecordJsonContext.Default.CertificateManagerEvent) ?? throw new JsonException("null event");
                    bool seen;
                    lock (_eventRecords)
                    {
                        seen = !_eventRecords.TryAdd(key.Id, e.Time);
                    }

                    if (_loaded && !seen)
                    {
                        Events.Deliver(e);
                    }

                    break;
                default:
                    throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is of no collection ACM keeps.");
            }
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but not one this Vaultlib reads.", ex);
        }
    }

    protected override void RemoveRecord(string collection, string id)
    {
        switch (collection)
        {
            case CertificatesCollection:
                _certificates.TryRemove(id, out _);
                if (_keys.TryRemove(id, out AsymmetricAlgorithm? key))
                {
                    key.Dispose();
                }

                break;
            case EventsCollection:
                lock (_eventRecords)
                {
                    _eventRecords.Remove(id);
                }

                break;
        }
    }

    protected override void DisposeView()
    {
        Events.Dispose();
        _certificates.Clear();
        foreach (AsymmetricAlgorithm key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
        _root?.Dispose();
        _root = null;
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"AcmTable({Options.Region}, {Options.AccountId}, {_certificates.Count} certificates)";
}

/// <summary>The account's local public-like root (its key loaded for signing) and the secret validation records derive from.</summary>
internal sealed class LocalRoot(byte[] secret, ECDsa key, X509Certificate2 certificate) : IDisposable
{
    public byte[] Secret { get; } = secret;

    public ECDsa Key { get; } = key;

    public X509Certificate2 Certificate { get; } = certificate;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Secret);
        Key.Dispose();
        Certificate.Dispose();
    }
}
