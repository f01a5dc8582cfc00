using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Internal;
using Vaultlib.Pipeline;
using Vaultlib.Scheduling;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// The state of one KMS region: keys, aliases and grants, kept in the vault as the service
/// <c>kms/&lt;region&gt;/&lt;account&gt;</c>, and the rules for reading and changing them. Reads are
/// lock-free over an in-memory view of immutable snapshots. Changes are serialized in this process
/// by one write gate and across processes by the store's compare-and-swap: each is committed (with
/// every record it touches, atomically) before it is published, so an acknowledged change is a
/// durable one. The view follows other processes' commits through the store's change feed.
/// </summary>
/// <remarks>
/// Time-driven changes (automatic rotation, the end of a deletion window) are applied when they
/// fall due, each dated when it was due: by the scheduler (<see cref="IScheduledWork"/>) on the one
/// instance that holds the service's lease, and otherwise when the key is next touched; the store's
/// compare-and-swap makes each happen exactly once however many instances share the vault.
/// </remarks>
internal sealed partial class KeyTable : RecordTable, IScheduledWork
{
    private const string KeysCollection = "keys";
    private const string AliasesCollection = "aliases";
    private const string GrantsCollection = "grants";

    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AliasRecord> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrantRecord> _grants = new(StringComparer.Ordinal);

    public KeyTable(Vault vault, bool ownsVault, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
        : this(vault, ownsVault, VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions()), timeProvider ?? TimeProvider.System, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Keys.KeyService"), auditSink, identityPolicies)
    {
    }

    private KeyTable(Vault vault, bool ownsVault, VaultlibOptions options, TimeProvider time, ILogger logger, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
        : base(vault, ownsVault, options, time, "kms", logger)
    {
        _logger = logger;
        Ids = new KeyIdentifiers(Options);
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        Authorizer = new KmsAuthorizer(Options, IdentityPolicies, Time, TryParseKeyId, key => _grants.Values.Where(g => g.KeyId == key.KeyId), key => _aliases.Values.Where(a => a.TargetKeyId == key.KeyId).Select(a => a.AliasName));
        AuditRecorder? audit = auditSink is null ? null : new AuditRecorder(auditSink, KmsAudit.Profile, Options, Time, _logger);
        Pipeline = new RequestPipeline(_logger, Authorizer, KmsErrors.Instance, audit);
        Account = new AccountResource(Ids.AccountArn);
        LoadAndFollow();
    }

    /// <inheritdoc/>
    public event EventHandler? DueTimeChanged;

    public RequestPipeline Pipeline { get; }

    public KeyIdentifiers Ids { get; }

    public KmsAuthorizer Authorizer { get; }

    public IdentityPolicyStore IdentityPolicies { get; }

    public AccountResource Account { get; }

    public int KeyCount => _keys.Count;

    /// <summary>How many customer managed keys the view holds, in any state (the AWS KMS keys quota counts these).</summary>
    public int CustomerManagedKeyCount => Volatile.Read(ref _customerManagedKeys);

    /// <summary>The customer managed keys quota; lowered only by tests, which cannot make 100,000 keys each.</summary>
    internal int CustomerManagedKeyQuota { get; set; } = KeyService.MaxCustomerManagedKeys;

    private int _customerManagedKeys;

    public int AliasCount => _aliases.Count;

    public string Name => ServiceName;

    public IEnumerable<AliasRecord> Aliases => _aliases.Values;

    public IEnumerable<GrantRecord> Grants => _grants.Values;

    public KeyIdentifier? TryParseKeyId(string keyId)
    {
        // Stryker disable once Block : the catch is unreachable from a request; its key id was parsed when it was resolved, before authorization
        try
        {
            return Ids.Parse(keyId);
        }
        catch (KeyManagementException)
        {
            return null;
        }
    }

    /// <summary>The keys, with every deletion that has fallen due applied first.</summary>
    public async ValueTask<IReadOnlyCollection<KeyRecord>> KeysAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = Now;
        foreach (KeyRecord key in _keys.Values)
        {
            // Lifted comparisons rather than pattern variables behind && (here and in KeyTable.Scheduled.cs), so that every
            // mutation of these conditions compiles (docs/testing.md): a null date compares false.
            // Stryker disable once Logical : a fast path; finding a key applies only the changes that are due
            if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
            {
                await FindKeyAsync(key.KeyId, cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. _keys.Values];
    }

    /// <summary>Finds a key by the KeyId forms the operation accepts, applying time-driven changes that have fallen due.</summary>
    public ValueTask<KeyRecord> ResolveAsync(string keyIdOrAlias, CancellationToken cancellationToken, KeyIdForms accepted = KeyIdForms.Any)
    {
        string keyId = ResolveId(keyIdOrAlias, accepted);
        if (!_keys.ContainsKey(keyId)) // an alias this view does not hold resolves to no id
        {
            return ResolveAfterCatchUpAsync(keyIdOrAlias, accepted, cancellationToken);
        }

        ValueTask<KeyRecord?> found = FindKeyAsync(keyId, cancellationToken);
        // Stryker disable once Conditional : both branches give the same key; the first only spares an async state machine when nothing was due
        return found.IsCompletedSuccessfully
            ? new(found.Result ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(keyId)))
            : Await(found, keyId);

        async ValueTask<KeyRecord> Await(ValueTask<KeyRecord?> pending, string id) =>
            await pending.ConfigureAwait(false) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(id));
    }

    /// <summary>
    /// A key or alias this view does not hold may have been made a moment ago by another instance sharing the vault:
    /// the view reads the store's changes once before answering that it does not exist, so a key is usable everywhere
    /// as soon as the call that made it returns.
    /// </summary>
    private async ValueTask<KeyRecord> ResolveAfterCatchUpAsync(string keyIdOrAlias, KeyIdForms accepted, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        string keyId = ResolveId(keyIdOrAlias, accepted);
        if (keyId.Length == 0)
        {
            throw KmsErrors.AliasNotFound(Ids.AliasArn(Ids.Parse(keyIdOrAlias).Value));
        }

        return await FindKeyAsync(keyId, cancellationToken).ConfigureAwait(false) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(keyId));
    }

    private async ValueTask<KeyRecord?> FindAfterCatchUpAsync(string keyId, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        return await FindKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A key by id with due changes applied, or null when there is none (or its deletion window has ended).</summary>
    public ValueTask<KeyRecord?> FindKeyAsync(string keyId, CancellationToken cancellationToken)
    {
        if (!_keys.TryGetValue(keyId, out KeyRecord? key))
        {
            return new((KeyRecord?)null);
        }

        // Stryker disable once Block : applying due changes when none are due gives the same key, under the write gate
        if (!IsDue(key, Now))
        {
            return new(key);
        }

        return ApplyDueAsync(keyId, cancellationToken);
    }

    /// <summary>The key as held, with no due change applied: what the scheduler has (or has not yet) done.</summary>
    internal KeyRecord? FindKeyUntouched(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>An alias that exists, as the resource of DeleteAlias.</summary>
    public AccountResource ResolveAlias(string aliasName) =>
        _aliases.ContainsKey(aliasName) ? new AccountResource(Ids.AliasArn(aliasName)) : throw KmsErrors.AliasNotFound(Ids.AliasArn(aliasName));

    /// <summary>
    /// A symmetric blob names its key; an RSA ciphertext does not, so it needs the request's KeyId.
    /// The requested key, when given, must be the blob's key (<see cref="IncorrectKeyException"/>).
    /// </summary>
    public async ValueTask<IDecryptionSource> ResolveDecryptionAsync(ReadOnlyMemory<byte> ciphertextBlob, string? requestedKeyId, CancellationToken cancellationToken, string incorrectKeyMember = "KeyId")
    {
        KeyRecord? requested = requestedKeyId is null ? null : await ResolveAsync(requestedKeyId, cancellationToken).ConfigureAwait(false);
        if (requested is not null && KeySpecs.IsRsa(requested.KeySpec))
        {
            return new ResolvedRsa(requested, ciphertextBlob);
        }

        ParsedBlob blob = CiphertextBlob.Parse(ciphertextBlob);
        if (requested is not null && !string.Equals(requested.KeyId, blob.KeyId, StringComparison.Ordinal))
        {
            throw new IncorrectKeyException($"The key ID in the request ({incorrectKeyMember}) does not identify the KMS key that was used to encrypt the ciphertext.");
        }

        // The blob's key id is not yet authenticated: an unknown key is the same error as any other bad blob.
        // A key another instance sharing the vault made a moment ago is read from the store before the blob is refused.
        // Stryker disable once NullCoalescing : without the first read, the key is found one read later
        KeyRecord key = await FindKeyAsync(blob.KeyId, cancellationToken).ConfigureAwait(false)
            ?? await FindAfterCatchUpAsync(blob.KeyId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidCiphertextException();
        // A key whose imported material is gone is in the wrong state, as AWS answers, whatever the blob.
        KeyMaterial material = key.FindMaterial(blob.MaterialVersion) ?? (key.HasMaterial ? throw new InvalidCiphertextException() : throw KmsErrors.InvalidState(key.Arn, key.KeyState));
        return new ResolvedBlob(key, blob, material);
    }

    /// <summary>Applies <paramref name="change"/> to the latest snapshot, commits it, then publishes it; a race with another instance re-reads and re-applies.</summary>
    public ValueTask<KeyRecord> MutateAsync(string keyId, Func<KeyRecord, KeyRecord> change, CancellationToken cancellationToken) =>
        ExclusiveAsync(
            async () =>
            {
                KeyRecord current = await FindKeyLockedAsync(keyId, cancellationToken).ConfigureAwait(false) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(keyId));
                KeyRecord updated = change(current);
                if (!ReferenceEquals(updated, current))
                {
                    await CommitLockedAsync([KeyWrite(updated)], cancellationToken).ConfigureAwait(false);
                    current.ReleaseDropped(updated);
                }

                return updated;
            },
            cancellationToken);

    /// <summary>Commits and publishes a new key.</summary>
    /// <exception cref="LimitExceededException">A customer managed key beyond the account's quota in this Region.</exception>
    public async ValueTask AddAsync(KeyRecord record, CancellationToken cancellationToken)
    {
        bool counted = record.KeyManager == KeyManagerType.CUSTOMER;
        // Stryker disable once Logical : catching up is only a fresher view; the quota check below decides
        if (counted && CustomerManagedKeyCount >= CustomerManagedKeyQuota)
        {
            // Another instance may have deleted keys meanwhile: refuse only on a current view.
            await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        }

        await WriteAsync(
            () => counted && CustomerManagedKeyCount >= CustomerManagedKeyQuota
                ? throw new LimitExceededException($"This account already has {CustomerManagedKeyQuota} customer managed KMS keys in {Options.Region}, the AWS KMS keys quota.")
                : [KeyWrite(record)],
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new key record of this region, with fresh material.</summary>
    /// <remarks>A key for imported material (<see cref="OriginType.EXTERNAL"/>) has none, and waits in <see cref="KeyState.PendingImport"/>.</remarks>
    public KeyRecord NewKeyRecord(string keyId, string description, KeyManagerType manager, bool multiRegion, string policy, ImmutableSortedDictionary<string, string> tags, KeySpec spec = KeySpec.SYMMETRIC_DEFAULT, KeyUsageType usage = KeyUsageType.ENCRYPT_DECRYPT, OriginType origin = OriginType.AWS_KMS) => new()
    {
        KeyId = keyId,
        Arn = Ids.KeyArn(keyId),
        CreationDate = Now,
        Description = description,
        KeyUsage = usage,
        KeySpec = spec,
        Origin = origin,
        KeyManager = manager,
        MultiRegion = multiRegion,
        PrimaryRegion = multiRegion ? Options.Region : null,
        Policy = policy,
        Tags = tags,
        KeyState = origin == OriginType.EXTERNAL ? KeyState.PendingImport : KeyState.Enabled,
        Materials = origin == OriginType.EXTERNAL ? [] : [NewMaterial(1, null, Now, spec)],
    };

    /// <summary>The key with one more material version, made by <paramref name="type"/> rotation at <paramref name="at"/>.</summary>
    public KeyRecord Rotate(KeyRecord key, RotationType type, DateTimeOffset at)
    {
        KeyMaterial material = NewMaterial(key.Materials.Length + 1, type, at);
        Log.KeyRotated(_logger, key.Arn, type.ToString(), material.Version);
        KeyRecord rotated = key with { Materials = key.Materials.Add(material) };
        int? period = key.RotationPeriodInDays;
        return type == RotationType.AUTOMATIC && period is not null
            ? rotated with { NextRotationDate = at.AddDays(period.GetValueOrDefault()) }
            : rotated;
    }

    /// <summary>The default key policy: the account's root may do everything, and delegates to identity policies.</summary>
    public string DefaultKeyPolicy() =>
        $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"{{Ids.AccountArn}}"},"Action":"kms:*","Resource":"*"}]}""";

    /// <summary>The key's material bytes, for tests that look for key material where it must not be.</summary>
    internal byte[][] DangerousExportAllMaterialForTests(string keyId) =>
        [.. _keys[keyId].Materials.Select(m =>
        {
            using SecretLease lease = m.Secret.Lease();
            return lease.Span.ToArray();
        })];

    /// <summary>The key id an identifier names; empty for an alias this view does not hold.</summary>
    private string ResolveId(string keyIdOrAlias, KeyIdForms accepted)
    {
        KeyIdentifier id = Ids.Parse(keyIdOrAlias);
        if (accepted == KeyIdForms.KeyIdOrArn)
        {
            // As AWS answers an alias where the operation takes only a key id or key ARN.
            switch (id.Form)
            {
                case KeyIdForm.AliasArn:
                    throw KmsErrors.AliasArnNotSupported();
                case KeyIdForm.AliasName:
                    throw KmsErrors.InvalidKeyId(keyIdOrAlias);
            }
        }

        if (id.Form is KeyIdForm.AliasName or KeyIdForm.AliasArn)
        {
            return _aliases.TryGetValue(id.Value, out AliasRecord? alias) ? alias.TargetKeyId : string.Empty; // not (yet) here
        }

        return id.Value;
    }

    private static KeyMaterial NewMaterial(int version, RotationType? rotationType, DateTimeOffset at, KeySpec spec = KeySpec.SYMMETRIC_DEFAULT)
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (spec == KeySpec.SYMMETRIC_DEFAULT)
        {
            return new KeyMaterial(version, id, at, rotationType, SecretBuffer.Random(32));
        }

        (SecretBuffer secret, byte[]? publicKey) = AsymmetricCrypto.Generate(spec);
        return new KeyMaterial(version, id, at, rotationType, secret, publicKey);
    }

    /// <summary>Zeroes every key's material.</summary>
    protected override void DisposeView()
    {
        foreach (KeyRecord key in _keys.Values)
        {
            key.ReleaseSecrets();
        }

        _keys.Clear();
        _aliases.Clear();
        _grants.Clear();
    }

    /// <summary>Type and identity only.</summary>
    public override string ToString() => $"KeyTable({Options.Region}, {Options.AccountId}, {_keys.Count} keys)";
}
