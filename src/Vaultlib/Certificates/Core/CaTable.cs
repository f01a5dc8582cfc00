using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Pipeline;
using Vaultlib.Storage;

namespace Vaultlib.Certificates;

/// <summary>
/// The state of Private CA in one Region of one account, kept in the vault as the service
/// <c>acm-pca/&lt;region&gt;/&lt;account&gt;</c>: one record per CA (its private key inside, sealed) and one per issued
/// certificate, with an in-memory view: the CAs by id, their keys loaded for signing, and the certificates by CA and
/// serial. Persistence is <see cref="RecordTable"/>'s.
/// </summary>
internal sealed class CaTable : RecordTable, Scheduling.IScheduledWork
{
    private const string AuthoritiesCollection = "authorities";
    private const string CertificatesCollection = "certificates";

    private readonly ConcurrentDictionary<string, CaRecord> _authorities = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AsymmetricAlgorithm> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, X509Certificate2> _caCertificates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string CaId, string Serial), IssuedCertificateRecord> _certificates = new();

    public CaTable(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
        : base(vault, ownsVault, VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions()), timeProvider ?? TimeProvider.System, "acm-pca", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Certificates.PrivateCertificateAuthority"))
    {
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        AuditRecorder? audit = auditSink is null ? null : new AuditRecorder(auditSink, PcaAudit.Profile, Options, Time, Logger);
        Pipeline = new RequestPipeline(Logger, new PcaAuthorizer(Options, IdentityPolicies, Time), PcaErrors.Instance, audit);
        ArnPrefix = $"arn:{Options.Partition}:acm-pca:{Options.Region}:{Options.AccountId}:certificate-authority/";
        Account = new AccountResource(ArnPrefix + "*");
        RevocationLists = new CaRevocationLists(this);
        LoadAndFollow();
    }

    public RequestPipeline Pipeline { get; }

    public IdentityPolicyStore IdentityPolicies { get; }

    /// <summary>The CAs' CRLs.</summary>
    public CaRevocationLists RevocationLists { get; }

    /// <summary>Reads the store's changes (another instance's revocations) before an answer that must be current.</summary>
    public ValueTask CatchUpOnceAsync(CancellationToken cancellationToken) => CatchUpAsync(cancellationToken);

    /// <summary>The CA of an id (the last part of its ARN), if this view holds it.</summary>
    public CaRecord? FindById(string id) => _authorities.GetValueOrDefault(id);

    /// <summary>What every CA ARN here begins with.</summary>
    public string ArnPrefix { get; }

    /// <summary>The account itself, for operations that name no CA.</summary>
    public AccountResource Account { get; }

    /// <summary>Every CA, in no order.</summary>
    public ICollection<CaRecord> All => _authorities.Values;

    /// <summary>The id in a CA ARN of this Region and account; anything else is <see cref="InvalidArnException"/>.</summary>
    public string IdOf(string arn, string member = "CertificateAuthorityArn") =>
        IdAfter(ArnPrefix, arn) ?? throw new InvalidArnException($"The {member} {arn} is not a certificate authority ARN of {Options.Region} in {Options.AccountId}.");

    /// <summary>The CA an ARN names, reading the store's changes once before answering that there is none.</summary>
    public async ValueTask<CaRecord> ResolveAsync(string arn, CancellationToken cancellationToken)
    {
        string id = IdOf(arn);
        CaRecord? record = await FindOrCatchUpAsync(() => _authorities.GetValueOrDefault(id), cancellationToken).ConfigureAwait(false);

        if (record is { Status: CertificateAuthorityStatus.DELETED, RestorableUntil: { } until } && until <= Now)
        {
            await PurgeAsync(record.Id, cancellationToken).ConfigureAwait(false);
            record = null;
        }

        // A CA whose certificate has run out is EXPIRED, as AWS marks it; a new certificate (import) makes it ACTIVE again.
        if (record is { Status: CertificateAuthorityStatus.ACTIVE or CertificateAuthorityStatus.DISABLED } && CertificateOf(record) is { } certificate && certificate.NotAfter.ToUniversalTime() <= Now.UtcDateTime)
        {
            DateTimeOffset now = Now;
            record = await ChangeAsync(record, current => current.Status is CertificateAuthorityStatus.ACTIVE or CertificateAuthorityStatus.DISABLED ? current with { Status = CertificateAuthorityStatus.EXPIRED, LastStateChangeAt = now } : current, cancellationToken).ConfigureAwait(false);
        }

        return record ?? throw PcaErrors.CaNotFound(arn);
    }

    /// <inheritdoc/>
    public event EventHandler? DueTimeChanged;

    /// <inheritdoc/>
    public string Name => ServiceName;

    /// <inheritdoc/>
    public DateTimeOffset? NextDueTime => _authorities.Values.Where(ca => ca.Status == CertificateAuthorityStatus.DELETED).Select(ca => ca.RestorableUntil).Min();

    /// <inheritdoc/>
    public async ValueTask RunDueAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = Now;
        string[] due = [.. _authorities.Values.Where(ca => ca.Status == CertificateAuthorityStatus.DELETED && ca.RestorableUntil <= now).Select(ca => ca.Id)];
        if (IsDisposed || due.Length == 0
            || !await TryLeadSchedulerAsync(LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (string id in due)
        {
            await PurgeAsync(id, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void OnChanged(IReadOnlyList<Change>? committed) => DueTimeChanged?.Invoke(this, EventArgs.Empty);

    /// <summary>Deletes a CA whose restoration period has ended, with the certificates it issued (under the write gate).</summary>
    private ValueTask<bool> PurgeAsync(string id, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                if (_authorities.GetValueOrDefault(id) is not { Status: CertificateAuthorityStatus.DELETED, RestorableUntil: { } until } || until > Now)
                {
                    return false;
                }

                List<Change> changes = [.. _certificates.Values.Where(c => c.CaId == id).Select(c => new Change(CertificatesCollection, $"{id}/{c.Serial}", null, () => _certificates.TryRemove((id, c.Serial), out _)))];
                changes.Add(new Change(AuthoritiesCollection, id, null, () => RemoveRecord(AuthoritiesCollection, id)));
                await CommitLockedAsync(changes, cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken);

    /// <summary>The CA's key, loaded for signing.</summary>
    public AsymmetricAlgorithm KeyOf(CaRecord ca) => _keys.TryGetValue(ca.Id, out AsymmetricAlgorithm? key) ? key : throw new InvalidOperationException($"The key of {ca.Arn} is not loaded.");

    /// <summary>The CA's certificate, once it has one.</summary>
    public X509Certificate2? CertificateOf(CaRecord ca) => ca.Certificate is null ? null : _caCertificates.GetValueOrDefault(ca.Id);

    /// <summary>An issued certificate (its serial as 32 lower-case hex digits), as this view holds it.</summary>
    public IssuedCertificateRecord? FindCertificate(string caId, string serial) => _certificates.GetValueOrDefault((caId, serial));

    /// <summary>An issued certificate, reading the store's changes once before answering that there is none.</summary>
    public ValueTask<IssuedCertificateRecord?> FindCertificateAsync(string caId, string serial, CancellationToken cancellationToken) =>
        FindOrCatchUpAsync(() => FindCertificate(caId, serial), cancellationToken);

    /// <summary>The certificates <paramref name="caId"/> issued.</summary>
    public IEnumerable<IssuedCertificateRecord> CertificatesOf(string caId) => _certificates.Values.Where(c => c.CaId == caId);

    /// <summary>Adds a new CA with its key (under the write gate).</summary>
    public async ValueTask AddAsync(CaRecord ca, AsymmetricAlgorithm key, CancellationToken cancellationToken) =>
        await ExclusiveAsync(
            async () =>
            {
                await CommitLockedAsync([WriteCa(ca, key)], cancellationToken).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    /// <summary>Applies <paramref name="change"/> to the CA (under the write gate) and commits what it returns.</summary>
    public ValueTask<CaRecord> ChangeAsync(CaRecord resolved, Func<CaRecord, CaRecord> change, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                CaRecord current = _authorities.GetValueOrDefault(resolved.Id) ?? throw PcaErrors.CaNotFound(resolved.Arn);
                CaRecord next = change(current);
                if (!ReferenceEquals(next, current))
                {
                    await CommitLockedAsync([WriteCa(next, KeyOf(current))], cancellationToken).ConfigureAwait(false);
                }

                return next;
            },
            cancellationToken);

    /// <summary>Adds or replaces an issued certificate (under the write gate); <paramref name="decide"/> sees the one held, if any, and returns what to write (the held one writes nothing).</summary>
    public ValueTask<IssuedCertificateRecord> PutCertificateAsync(string caId, string serial, Func<IssuedCertificateRecord?, IssuedCertificateRecord> decide, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                IssuedCertificateRecord? current = _certificates.GetValueOrDefault((caId, serial));
                IssuedCertificateRecord next = decide(current);
                if (!ReferenceEquals(next, current))
                {
                    byte[] plaintext = JsonSerializer.SerializeToUtf8Bytes(next, CaRecordJsonContext.Default.IssuedCertificateRecord);
                    await CommitLockedAsync([new Change(CertificatesCollection, $"{caId}/{serial}", plaintext, () => _certificates[(caId, serial)] = next)], cancellationToken).ConfigureAwait(false);
                }

                return next;
            },
            cancellationToken);

    /// <summary>The record written for <paramref name="ca"/>: with its key exported (PKCS#8) only into the bytes sealed and zeroed after.</summary>
    private Change WriteCa(CaRecord ca, AsymmetricAlgorithm key) =>
        WriteWithPrivateKey(AuthoritiesCollection, ca.Id, key, pkcs8 => JsonSerializer.SerializeToUtf8Bytes(ca with { PrivateKey = pkcs8 }, CaRecordJsonContext.Default.CaRecord), () => Publish(ca, key));

    private void Publish(CaRecord ca, AsymmetricAlgorithm key)
    {
        ca = ca with { PrivateKey = null };
        _authorities[ca.Id] = ca;
        AsymmetricAlgorithm? held = _keys.GetValueOrDefault(ca.Id);
        _keys[ca.Id] = key;
        if (held is not null && !ReferenceEquals(held, key))
        {
            held.Dispose();
        }

        if (ca.Certificate is { } der && (!_caCertificates.TryGetValue(ca.Id, out X509Certificate2? loaded) || !loaded.RawDataMemory.Span.SequenceEqual(der)))
        {
            _caCertificates[ca.Id] = X509CertificateLoader.LoadCertificate(der);
        }
    }

    protected override void ApplyRecord(RecordKey key, string location, ReadOnlyMemory<byte> plaintext)
    {
        try
        {
            switch (key.Collection)
            {
                case AuthoritiesCollection:
                    CaRecord ca = JsonSerializer.Deserialize(plaintext.Span, CaRecordJsonContext.Default.CaRecord) ?? throw new JsonException("null CA");
                    byte[] pkcs8 = ca.PrivateKey ?? throw new JsonException("a CA without its key");
                    try
                    {
                        Publish(ca, CaKeys.Import(ca.Configuration.KeyAlgorithm, pkcs8));
                    }
                    finally
                    {
                        CryptographicOperations.ZeroMemory(pkcs8);
                    }

                    break;
                case CertificatesCollection:
                    IssuedCertificateRecord issued = JsonSerializer.Deserialize(plaintext.Span, CaRecordJsonContext.Default.IssuedCertificateRecord) ?? throw new JsonException("null certificate");
                    _certificates[(issued.CaId, issued.Serial)] = issued;
                    break;
                default:
                    throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is of no collection Private CA keeps.");
            }
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException)
        {
            throw new VaultStoreException(VaultStoreFailure.Tampered, location, $"The record '{location}' is authentic but not one this Vaultlib reads.", ex);
        }
    }

    protected override void RemoveRecord(string collection, string id)
    {
        if (collection == AuthoritiesCollection && _authorities.TryRemove(id, out _))
        {
            if (_keys.TryRemove(id, out AsymmetricAlgorithm? key))
            {
                key.Dispose();
            }

            _caCertificates.TryRemove(id, out _);
        }
        else if (collection == CertificatesCollection && id.IndexOf('/', StringComparison.Ordinal) is > 0 and int slash)
        {
            _certificates.TryRemove((id[..slash], id[(slash + 1)..]), out _);
        }
    }

    protected override void DisposeView()
    {
        _authorities.Clear();
        foreach (AsymmetricAlgorithm key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
        _caCertificates.Clear();
        _certificates.Clear();
    }

    /// <summary>Identity only.</summary>
    public override string ToString() => $"CaTable({Options.Region}, {Options.AccountId}, {_authorities.Count} CAs)";
}
