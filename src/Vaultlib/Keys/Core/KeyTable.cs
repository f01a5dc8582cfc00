using System.Buffers;
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
/// The state of one KMS region: keys, aliases and grants, their store, and the rules for reading
/// and changing them. Reads are lock-free over immutable snapshots; changes are serialized under
/// one write gate, persisted, and only then published, so an acknowledged change is a durable one.
/// </summary>
/// <remarks>
/// Time-driven changes (automatic rotation, the end of a deletion window) are applied when they
/// fall due, each dated when it was due: by the scheduler (<see cref="IScheduledWork"/>) when one
/// runs, and otherwise when the key is next touched, so behaviour is the same either way.
/// </remarks>
internal sealed partial class KeyTable : ServiceCore, IScheduledWork
{
    private const string KeysCollection = "keys";
    private const string AliasesCollection = "aliases";
    private const string GrantsCollection = "grants";

    private readonly RecordStore _store;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AliasRecord> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrantRecord> _grants = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();

    public KeyTable(RecordStore store, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
        : base(VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions()), timeProvider ?? TimeProvider.System)
    {
        _store = store;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Keys.KeyService");
        Ids = new KeyIdentifiers(Options);
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        Authorizer = new KmsAuthorizer(Options, IdentityPolicies, Time, TryParseKeyId, key => _grants.Values.Where(g => g.KeyId == key.KeyId));
        AuditRecorder? audit = auditSink is null ? null : new AuditRecorder(auditSink, KmsAudit.Profile, Options, Time, _logger);
        Pipeline = new RequestPipeline(_logger, Authorizer, KmsErrors.Instance, audit);
        Account = new AccountResource(Ids.AccountArn);
        try
        {
            Load();
        }
        catch
        {
            // A store that fails to load must not stay locked or keep half-loaded material.
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public event EventHandler? DueTimeChanged;

    public RequestPipeline Pipeline { get; }

    public KeyIdentifiers Ids { get; }

    public KmsAuthorizer Authorizer { get; }

    public IdentityPolicyStore IdentityPolicies { get; }

    public AccountResource Account { get; }

    public ILogger Logger => _logger;

    public int KeyCount => _keys.Count;

    public int AliasCount => _aliases.Count;

    public string Name => $"kms {Options.Region} {Options.AccountId}";

    public IEnumerable<AliasRecord> Aliases => _aliases.Values;

    public IEnumerable<GrantRecord> Grants => _grants.Values;

    /// <summary>The keys, with every deletion that has fallen due applied first.</summary>
    public IEnumerable<KeyRecord> Keys
    {
        get
        {
            SweepExpired();
            return _keys.Values;
        }
    }

    public KeyIdentifier? TryParseKeyId(string keyId)
    {
        try
        {
            return Ids.Parse(keyId);
        }
        catch (KeyManagementException)
        {
            return null;
        }
    }

    /// <summary>Finds a key by any KeyId form, applying time-driven changes that have fallen due.</summary>
    public KeyRecord Resolve(string keyIdOrAlias)
    {
        KeyIdentifier id = Ids.Parse(keyIdOrAlias);
        string keyId;
        if (id.Form is KeyIdForm.AliasName or KeyIdForm.AliasArn)
        {
            keyId = _aliases.TryGetValue(id.Value, out AliasRecord? alias) ? alias.TargetKeyId : throw KmsErrors.AliasNotFound(Ids.AliasArn(id.Value));
        }
        else
        {
            keyId = id.Value;
        }

        return FindKey(keyId) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(keyId));
    }

    /// <summary>A key by id with due changes applied, or null when there is none (or its deletion window has ended).</summary>
    public KeyRecord? FindKey(string keyId)
    {
        if (!_keys.TryGetValue(keyId, out KeyRecord? key))
        {
            return null;
        }

        return IsDue(key, Now) ? ApplyDue(keyId, Now) : key;
    }

    /// <summary>The key as held, with no due change applied: what the scheduler has (or has not yet) done.</summary>
    internal KeyRecord? FindKeyUntouched(string keyId) => _keys.GetValueOrDefault(keyId);

    /// <summary>An alias that exists, as the resource of DeleteAlias.</summary>
    public AccountResource ResolveAlias(string aliasName) =>
        _aliases.ContainsKey(aliasName) ? new AccountResource(Ids.AliasArn(aliasName)) : throw KmsErrors.AliasNotFound(Ids.AliasArn(aliasName));

    public bool TryGetAlias(string aliasName, out AliasRecord? alias) => _aliases.TryGetValue(aliasName, out alias);

    /// <summary>
    /// A symmetric blob names its key; an RSA ciphertext does not, so it needs the request's KeyId.
    /// The requested key, when given, must be the blob's key (<see cref="IncorrectKeyException"/>).
    /// </summary>
    public IDecryptionSource ResolveDecryption(ReadOnlyMemory<byte> ciphertextBlob, string? requestedKeyId, string incorrectKeyMember = "KeyId")
    {
        KeyRecord? requested = requestedKeyId is null ? null : Resolve(requestedKeyId);
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
        KeyRecord key = FindKey(blob.KeyId) ?? throw new InvalidCiphertextException();
        KeyMaterial material = key.FindMaterial(blob.MaterialVersion) ?? throw new InvalidCiphertextException();
        return new ResolvedBlob(key, blob, material);
    }

    /// <summary>Applies <paramref name="change"/> to the latest snapshot under the write gate, persists it, then publishes it.</summary>
    public KeyRecord Mutate(string keyId, Func<KeyRecord, KeyRecord> change)
    {
        lock (_writeGate)
        {
            KeyRecord current = FindKey(keyId) ?? throw KmsErrors.KeyNotFound(Ids.KeyArn(keyId));
            KeyRecord updated = change(current);
            if (!ReferenceEquals(updated, current))
            {
                Publish(updated);
            }

            return updated;
        }
    }

    /// <summary>Persists and publishes a new key.</summary>
    public void Add(KeyRecord record)
    {
        lock (_writeGate)
        {
            Publish(record);
        }
    }

    /// <summary>A new key record of this region, with fresh material.</summary>
    public KeyRecord NewKeyRecord(string keyId, string description, KeyManagerType manager, bool multiRegion, string policy, ImmutableSortedDictionary<string, string> tags, KeySpec spec = KeySpec.SYMMETRIC_DEFAULT, KeyUsageType usage = KeyUsageType.ENCRYPT_DECRYPT) => new()
    {
        KeyId = keyId,
        Arn = Ids.KeyArn(keyId),
        CreationDate = Now,
        Description = description,
        KeyUsage = usage,
        KeySpec = spec,
        Origin = OriginType.AWS_KMS,
        KeyManager = manager,
        MultiRegion = multiRegion,
        Policy = policy,
        Tags = tags,
        KeyState = KeyState.Enabled,
        Materials = [NewMaterial(1, null, Now, spec)],
    };

    /// <summary>The key with one more material version, made by <paramref name="type"/> rotation at <paramref name="at"/>.</summary>
    public KeyRecord Rotate(KeyRecord key, RotationType type, DateTimeOffset at)
    {
        KeyMaterial material = NewMaterial(key.Materials.Length + 1, type, at);
        Log.KeyRotated(_logger, key.Arn, type.ToString(), material.Version);
        KeyRecord rotated = key with { Materials = key.Materials.Add(material) };
        return type == RotationType.AUTOMATIC && key.RotationPeriodInDays is { } period
            ? rotated with { NextRotationDate = at.AddDays(period) }
            : rotated;
    }

    /// <summary>The default key policy: the account's root may do everything, and delegates to identity policies.</summary>
    public string DefaultKeyPolicy() =>
        $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"{{Ids.AccountArn}}"},"Action":"kms:*","Resource":"*"}]}""";

    // ---- aliases

    /// <summary>Creates an alias under the write gate; an existing name is <see cref="AlreadyExistsException"/>.</summary>
    public void CreateAlias(string aliasName, string keyId)
    {
        lock (_writeGate)
        {
            if (_aliases.ContainsKey(aliasName))
            {
                throw KmsErrors.AliasExists(Ids.AliasArn(aliasName));
            }

            PutAlias(new AliasRecord(aliasName, keyId, Now, Now));
        }
    }

    /// <summary>Points an existing alias at <paramref name="key"/>, which must be of the same spec and usage as its current target.</summary>
    public void UpdateAlias(string aliasName, KeyRecord key)
    {
        lock (_writeGate)
        {
            if (!_aliases.TryGetValue(aliasName, out AliasRecord? alias))
            {
                throw KmsErrors.AliasNotFound(Ids.AliasArn(aliasName));
            }

            if (_keys.TryGetValue(alias.TargetKeyId, out KeyRecord? current)
                && (current.KeySpec != key.KeySpec || current.KeyUsage != key.KeyUsage))
            {
                throw new ValidationException(
                    "TargetKeyId",
                    $"Alias {aliasName} points to a {current.KeySpec} {current.KeyUsage} key; the new target must be of the same key spec and key usage, not {key.KeySpec} {key.KeyUsage}.");
            }

            PutAlias(alias with { TargetKeyId = key.KeyId, LastUpdatedDate = Now });
        }
    }

    public void DeleteAlias(string aliasName)
    {
        lock (_writeGate)
        {
            if (!_aliases.ContainsKey(aliasName))
            {
                throw KmsErrors.AliasNotFound(Ids.AliasArn(aliasName));
            }

            _store.Delete(AliasesCollection, aliasName);
            _aliases.TryRemove(aliasName, out AliasRecord? _);
        }
    }

    /// <summary>The key's material bytes, for tests that look for key material where it must not be.</summary>
    internal byte[][] DangerousExportAllMaterialForTests(string keyId) =>
        [.. _keys[keyId].Materials.Select(m =>
        {
            using SecretLease lease = m.Secret.Lease();
            return lease.Span.ToArray();
        })];

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

    /// <summary>Persists, then makes visible. Callers hold the write gate.</summary>
    private void Publish(KeyRecord record)
    {
        // Sized up front so the writer never grows: a grown-out-of buffer would hold material we could not zero.
        int estimate = 4096 + (record.Materials.Length * 256)
            + (6 * (record.Policy.Length + record.Description.Length + record.Tags.Sum(t => t.Key.Length + t.Value.Length + 8)));
        var buffer = new ArrayBufferWriter<byte>(estimate);
        try
        {
            KeyRecordCodec.Write(record, buffer);
            _store.Put(KeysCollection, record.KeyId, buffer.WrittenSpan);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshalHelpers.AsWritable(buffer));
        }

        bool dueChanged = !_keys.TryGetValue(record.KeyId, out KeyRecord? previous) || NextDue(previous) != NextDue(record);
        _keys[record.KeyId] = record;
        if (dueChanged)
        {
            DueTimeChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    private void PutAlias(AliasRecord alias)
    {
        _store.Put(AliasesCollection, alias.AliasName, KeyRecordCodec.WriteAlias(alias));
        _aliases[alias.AliasName] = alias;
    }

    /// <summary>Zeroes every key's material and releases the store.</summary>
    protected override void DisposeCore()
    {
        lock (_writeGate)
        {
            foreach (KeyRecord key in _keys.Values)
            {
                foreach (KeyMaterial material in key.Materials)
                {
                    material.Secret.Dispose();
                }
            }

            _keys.Clear();
            _aliases.Clear();
            _grants.Clear();
            _store.Dispose();
        }
    }

    /// <summary>Type and identity only.</summary>
    public override string ToString() => $"KeyTable({Options.Region}, {Options.AccountId}, {_keys.Count} keys)";
}
