using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vaultlib.Audit;
using Vaultlib.Authorization;
using Vaultlib.Internal;
using Vaultlib.Pipeline;
using Vaultlib.Storage;

namespace Vaultlib.Keys;

/// <summary>
/// The behaviour of AWS KMS, shared by <see cref="InMemoryKeyService"/> and
/// <see cref="FileSystemKeyService"/>, which differ only in where their sealed records live.
/// Thread-safe: reads are lock-free over immutable key snapshots; changes are serialized,
/// persisted, and only then published, so an acknowledged change is a durable one.
/// </summary>
/// <remarks>
/// Time-driven behaviour (scheduled rotation, the end of a deletion window) happens when the key
/// is next touched after the <see cref="TimeProvider"/> passes the date, with the date it was due,
/// so a fake clock drives it deterministically.
/// </remarks>
public abstract class KeyService : IKeyService, IDisposable
{
    /// <summary>The most bytes Encrypt accepts (4 KiB), as in AWS KMS.</summary>
    public const int MaxPlaintextLength = 4096;

    /// <summary>The most on-demand rotations of one key, as in AWS KMS.</summary>
    public const int MaxOnDemandRotations = 25;

    private const string KeysCollection = "keys";
    private const string AliasesCollection = "aliases";
    private const string GrantsCollection = "grants";
    private const int MaxTagsPerKey = 50;

    private static readonly Operation s_createKey = Kms("CreateKey", false);
    private static readonly Operation s_describeKey = Kms("DescribeKey", true);
    private static readonly Operation s_listKeys = Kms("ListKeys", true);
    private static readonly Operation s_updateKeyDescription = Kms("UpdateKeyDescription", false);
    private static readonly Operation s_enableKey = Kms("EnableKey", false);
    private static readonly Operation s_disableKey = Kms("DisableKey", false);
    private static readonly Operation s_scheduleKeyDeletion = Kms("ScheduleKeyDeletion", false);
    private static readonly Operation s_cancelKeyDeletion = Kms("CancelKeyDeletion", false);
    private static readonly Operation s_tagResource = Kms("TagResource", false);
    private static readonly Operation s_untagResource = Kms("UntagResource", false);
    private static readonly Operation s_listResourceTags = Kms("ListResourceTags", true);
    private static readonly Operation s_createAlias = Kms("CreateAlias", false);
    private static readonly Operation s_updateAlias = Kms("UpdateAlias", false);
    private static readonly Operation s_deleteAlias = Kms("DeleteAlias", false);
    private static readonly Operation s_listAliases = Kms("ListAliases", true);
    private static readonly Operation s_encrypt = Kms("Encrypt", true);
    private static readonly Operation s_decrypt = Kms("Decrypt", true);
    private static readonly Operation s_reEncrypt = Kms("ReEncrypt", true);
    private static readonly Operation s_generateDataKey = Kms("GenerateDataKey", true);
    private static readonly Operation s_generateDataKeyWithoutPlaintext = Kms("GenerateDataKeyWithoutPlaintext", true);
    private static readonly Operation s_generateRandom = Kms("GenerateRandom", true);
    private static readonly Operation s_enableKeyRotation = Kms("EnableKeyRotation", false);
    private static readonly Operation s_disableKeyRotation = Kms("DisableKeyRotation", false);
    private static readonly Operation s_getKeyRotationStatus = Kms("GetKeyRotationStatus", true);
    private static readonly Operation s_rotateKeyOnDemand = Kms("RotateKeyOnDemand", false);
    private static readonly Operation s_listKeyRotations = Kms("ListKeyRotations", true);
    private static readonly Operation s_putKeyPolicy = Kms("PutKeyPolicy", false);
    private static readonly Operation s_getKeyPolicy = Kms("GetKeyPolicy", true);
    private static readonly Operation s_listKeyPolicies = Kms("ListKeyPolicies", true);
    private static readonly Operation s_createGrant = Kms("CreateGrant", false);
    private static readonly Operation s_listGrants = Kms("ListGrants", true);
    private static readonly Operation s_listRetirableGrants = Kms("ListRetirableGrants", true);
    private static readonly Operation s_retireGrant = Kms("RetireGrant", false);
    private static readonly Operation s_revokeGrant = Kms("RevokeGrant", false);
    private static readonly Operation s_sign = Kms("Sign", true);
    private static readonly Operation s_verify = Kms("Verify", true);
    private static readonly Operation s_getPublicKey = Kms("GetPublicKey", true);
    private static readonly Operation s_generateMac = Kms("GenerateMac", true);
    private static readonly Operation s_verifyMac = Kms("VerifyMac", true);
    private static readonly Operation s_generateDataKeyPair = Kms("GenerateDataKeyPair", true);
    private static readonly Operation s_generateDataKeyPairWithoutPlaintext = Kms("GenerateDataKeyPairWithoutPlaintext", true);

    private readonly RecordStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestPipeline _pipeline;
    private readonly KeyIdentifiers _ids;
    private readonly KmsAuthorizer _authorizer;
    private readonly VaultlibOptions _options;
    private readonly AccountResource _account;
    private readonly ConcurrentDictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AliasRecord> _aliases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrantRecord> _grants = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();
    private bool _disposed;

    private protected KeyService(RecordStore store, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IAuditSink? auditSink, IdentityPolicyStore? identityPolicies)
    {
        _store = store;
        _options = VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions());
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Keys.KeyService");
        _ids = new KeyIdentifiers(_options);
        IdentityPolicies = identityPolicies ?? new IdentityPolicyStore();
        _authorizer = new KmsAuthorizer(_options, IdentityPolicies, _time, TryParseKeyId, key => _grants.Values.Where(g => g.KeyId == key.KeyId));
        _pipeline = new RequestPipeline(_logger, _authorizer, auditSink is null ? null : new AuditRecorder(auditSink, _options, _time, _logger));
        _account = new AccountResource(_ids.AccountArn);
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

    /// <summary>The region and account this service's ARNs name.</summary>
    public VaultlibOptions Options => _options;

    /// <summary>The identity policies of the principals that call this service (see <see cref="VaultlibCaller"/>).</summary>
    public IdentityPolicyStore IdentityPolicies { get; }

    private KeyIdentifier? TryParseKeyId(string keyId)
    {
        try
        {
            return _ids.Parse(keyId);
        }
        catch (KeyManagementException)
        {
            return null;
        }
    }

    private protected ILogger Logger => _logger;

    private protected int KeyCount => _keys.Count;

    private protected int AliasCount => _aliases.Count;

    private DateTimeOffset Now => _time.GetUtcNow();

    // ---------------------------------------------------------------- key management

    /// <inheritdoc/>
    public Task<CreateKeyResponse> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(s_createKey, request, ValidateCreateKey, _ => _account, (r, _) => CreateKeyCore(r), dryRun: false, cancellationToken);

    /// <inheritdoc/>
    public Task<DescribeKeyResponse> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_describeKey,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.GrantTokens(r.GrantTokens); },
            r => Resolve(r.KeyId),
            (_, key) => new DescribeKeyResponse { KeyMetadata = key.ToMetadata(_options.AccountId) },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListKeysResponse> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listKeys,
            request,
            r => Validate.Range(nameof(r.Limit), r.Limit, 1, 1000),
            _ => _account,
            (r, _) =>
            {
                SweepExpired();
                (IReadOnlyList<KeyRecord> page, string? next) = Page(_keys.Values, k => k.KeyId, r.Marker, r.Limit ?? 100);
                return new ListKeysResponse
                {
                    Keys = page.Select(k => new KeyListEntry { KeyId = k.KeyId, KeyArn = k.Arn }).ToArray(),
                    NextMarker = next,
                    Truncated = next is not null,
                };
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateKeyDescriptionResponse> UpdateKeyDescriptionAsync(UpdateKeyDescriptionRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_updateKeyDescription,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Length(nameof(r.Description), r.Description, 0, 8192); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireNotPendingDeletion(key);
                Mutate(key.KeyId, k => k with { Description = r.Description });
                return new UpdateKeyDescriptionResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<EnableKeyResponse> EnableKeyAsync(EnableKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_enableKey,
            request,
            r => ValidateKeyId(r.KeyId),
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                RequireCustomerManaged(key, s_enableKey);
                RequireNotPendingDeletion(key);
                Mutate(key.KeyId, k =>
                {
                    if (k.KeyState == KeyState.Enabled)
                    {
                        return k;
                    }

                    k = k with { KeyState = KeyState.Enabled };
                    // A rotation that fell due while the key was disabled happens now, as in AWS.
                    return k.RotationEnabled && k.NextRotationDate <= Now ? Rotate(k, RotationType.AUTOMATIC, Now) : k;
                });
                return new EnableKeyResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<DisableKeyResponse> DisableKeyAsync(DisableKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_disableKey,
            request,
            r => ValidateKeyId(r.KeyId),
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                RequireCustomerManaged(key, s_disableKey);
                RequireNotPendingDeletion(key);
                Mutate(key.KeyId, k => k with { KeyState = KeyState.Disabled });
                return new DisableKeyResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ScheduleKeyDeletionResponse> ScheduleKeyDeletionAsync(ScheduleKeyDeletionRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_scheduleKeyDeletion,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Range(nameof(r.PendingWindowInDays), r.PendingWindowInDays, 7, 30); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireCustomerManaged(key, s_scheduleKeyDeletion);
                if (key.KeyState == KeyState.PendingDeletion)
                {
                    throw new KMSInvalidStateException($"{key.Arn} is pending deletion.");
                }

                int days = r.PendingWindowInDays ?? 30;
                DateTimeOffset deletionDate = Now.AddDays(days);
                Mutate(key.KeyId, k => k with { KeyState = KeyState.PendingDeletion, DeletionDate = deletionDate, PendingWindowInDays = days });
                return new ScheduleKeyDeletionResponse { KeyId = key.Arn, DeletionDate = deletionDate, KeyState = KeyState.PendingDeletion, PendingWindowInDays = days };
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<CancelKeyDeletionResponse> CancelKeyDeletionAsync(CancelKeyDeletionRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_cancelKeyDeletion,
            request,
            r => ValidateKeyId(r.KeyId),
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                if (key.KeyState != KeyState.PendingDeletion)
                {
                    throw new KMSInvalidStateException($"{key.Arn} is not pending deletion.");
                }

                Mutate(key.KeyId, k => k with { KeyState = KeyState.Disabled, DeletionDate = null, PendingWindowInDays = null });
                return new CancelKeyDeletionResponse { KeyId = key.Arn };
            },
            dryRun: false,
            cancellationToken);

    // ---------------------------------------------------------------- tags

    /// <inheritdoc/>
    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_tagResource,
            request,
            r => { ValidateKeyId(r.KeyId); ValidateTags(r.Tags); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireNotPendingDeletion(key);
                Mutate(key.KeyId, k =>
                {
                    ImmutableSortedDictionary<string, string> tags = k.Tags.SetItems(r.Tags.Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)));
                    if (tags.Count > MaxTagsPerKey)
                    {
                        throw new TagException($"A key can have at most {MaxTagsPerKey} tags; this request would give {k.Arn} {tags.Count}.");
                    }

                    return k with { Tags = tags };
                });
                return new TagResourceResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_untagResource,
            request,
            r =>
            {
                ValidateKeyId(r.KeyId);
                Validate.Required(nameof(r.TagKeys), r.TagKeys);
                foreach (string tagKey in r.TagKeys)
                {
                    Validate.Length(nameof(r.TagKeys), tagKey, 1, 128);
                }
            },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireNotPendingDeletion(key);
                Mutate(key.KeyId, k => k with { Tags = k.Tags.RemoveRange(r.TagKeys) });
                return new UntagResourceResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListResourceTagsResponse> ListResourceTagsAsync(ListResourceTagsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listResourceTags,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Range(nameof(r.Limit), r.Limit, 1, 50); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                (IReadOnlyList<KeyValuePair<string, string>> page, string? next) = Page(key.Tags, t => t.Key, r.Marker, r.Limit ?? 50);
                return new ListResourceTagsResponse
                {
                    Tags = page.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value }).ToArray(),
                    NextMarker = next,
                    Truncated = next is not null,
                };
            },
            dryRun: false,
            cancellationToken);

    // ---------------------------------------------------------------- aliases

    /// <inheritdoc/>
    public Task<CreateAliasResponse> CreateAliasAsync(CreateAliasRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_createAlias,
            request,
            r => ValidateAliasTarget(r.AliasName, r.TargetKeyId),
            r => Resolve(r.TargetKeyId),
            (r, key) =>
            {
                RequireAliasTarget(key);
                lock (_writeGate)
                {
                    if (_aliases.ContainsKey(r.AliasName))
                    {
                        throw new AlreadyExistsException($"An alias with the name {_ids.AliasArn(r.AliasName)} already exists");
                    }

                    PutAlias(new AliasRecord(r.AliasName, key.KeyId, Now, Now));
                }

                return new CreateAliasResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<UpdateAliasResponse> UpdateAliasAsync(UpdateAliasRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_updateAlias,
            request,
            r => ValidateAliasTarget(r.AliasName, r.TargetKeyId),
            r => Resolve(r.TargetKeyId),
            (r, key) =>
            {
                RequireAliasTarget(key);
                lock (_writeGate)
                {
                    if (!_aliases.TryGetValue(r.AliasName, out AliasRecord? alias))
                    {
                        throw AliasNotFound(r.AliasName);
                    }

                    if (_keys.TryGetValue(alias.TargetKeyId, out KeyRecord? current)
                        && (current.KeySpec != key.KeySpec || current.KeyUsage != key.KeyUsage))
                    {
                        throw new ValidationException(
                            nameof(r.TargetKeyId),
                            $"Alias {r.AliasName} points to a {current.KeySpec} {current.KeyUsage} key; the new target must be of the same key spec and key usage, not {key.KeySpec} {key.KeyUsage}.");
                    }

                    PutAlias(alias with { TargetKeyId = key.KeyId, LastUpdatedDate = Now });
                }

                return new UpdateAliasResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<DeleteAliasResponse> DeleteAliasAsync(DeleteAliasRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_deleteAlias,
            request,
            r =>
            {
                Validate.Length(nameof(r.AliasName), r.AliasName, 1, 256);
                KeyIdentifiers.ValidateCustomerAliasName(r.AliasName);
            },
            r => ResolveAlias(r.AliasName),
            (r, _) =>
            {
                lock (_writeGate)
                {
                    if (!_aliases.ContainsKey(r.AliasName))
                    {
                        throw AliasNotFound(r.AliasName);
                    }

                    _store.Delete(AliasesCollection, r.AliasName);
                    _aliases.TryRemove(r.AliasName, out AliasRecord? _);
                }

                return new DeleteAliasResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListAliasesResponse> ListAliasesAsync(ListAliasesRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listAliases,
            request,
            r =>
            {
                Validate.Range(nameof(r.Limit), r.Limit, 1, 100);
                Validate.Length(nameof(r.KeyId), r.KeyId, 1, 2048, required: false);
            },
            r => r.KeyId is null ? (IArnResource)_account : Resolve(r.KeyId),
            (r, resource) =>
            {
                SweepExpired();
                string? keyId = (resource as KeyRecord)?.KeyId;
                IEnumerable<AliasRecord> aliases = _aliases.Values.Where(a => keyId is null || a.TargetKeyId == keyId);
                (IReadOnlyList<AliasRecord> page, string? next) = Page(aliases, a => a.AliasName, r.Marker, r.Limit ?? 50);
                return new ListAliasesResponse
                {
                    Aliases = page.Select(a => new AliasListEntry
                    {
                        AliasName = a.AliasName,
                        AliasArn = _ids.AliasArn(a.AliasName),
                        TargetKeyId = a.TargetKeyId,
                        CreationDate = a.CreationDate,
                        LastUpdatedDate = a.LastUpdatedDate,
                    }).ToArray(),
                    NextMarker = next,
                    Truncated = next is not null,
                };
            },
            dryRun: false,
            cancellationToken);

    // ---------------------------------------------------------------- cryptographic operations

    /// <inheritdoc/>
    public Task<EncryptResponse> EncryptAsync(EncryptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_encrypt,
            request,
            r =>
            {
                ValidateKeyId(r.KeyId);
                Validate.ByteLength(nameof(r.Plaintext), r.Plaintext, 1, MaxPlaintextLength);
                Validate.Defined(nameof(r.EncryptionAlgorithm), r.EncryptionAlgorithm);
                Validate.GrantTokens(r.GrantTokens);
            },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                (byte[] blob, EncryptionAlgorithmSpec algorithm) = EncryptAny(key, r.EncryptionAlgorithm, r.Plaintext.Span, r.EncryptionContext, "EncryptionContext");
                return new EncryptResponse { CiphertextBlob = blob, KeyId = key.Arn, EncryptionAlgorithm = algorithm };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<DecryptResponse> DecryptAsync(DecryptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_decrypt,
            request,
            r =>
            {
                Validate.ByteLength(nameof(r.CiphertextBlob), r.CiphertextBlob, 1, CiphertextBlob.MaxBlobLength);
                Validate.Length(nameof(r.KeyId), r.KeyId, 1, 2048, required: false);
                Validate.Defined(nameof(r.EncryptionAlgorithm), r.EncryptionAlgorithm);
                Validate.GrantTokens(r.GrantTokens);
            },
            r => ResolveDecryption(r.CiphertextBlob, r.KeyId),
            (r, source) =>
            {
                (byte[] plaintext, EncryptionAlgorithmSpec algorithm) = DecryptAny(source, r.EncryptionAlgorithm, r.EncryptionContext, "EncryptionContext");
                return new DecryptResponse { KeyId = source.Key.Arn, Plaintext = plaintext, EncryptionAlgorithm = algorithm };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ReEncryptResponse> ReEncryptAsync(ReEncryptRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_reEncrypt,
            request,
            r =>
            {
                Validate.ByteLength(nameof(r.CiphertextBlob), r.CiphertextBlob, 1, CiphertextBlob.MaxBlobLength);
                Validate.Length(nameof(r.SourceKeyId), r.SourceKeyId, 1, 2048, required: false);
                ValidateKeyId(r.DestinationKeyId, nameof(r.DestinationKeyId));
                Validate.Defined(nameof(r.SourceEncryptionAlgorithm), r.SourceEncryptionAlgorithm);
                Validate.Defined(nameof(r.DestinationEncryptionAlgorithm), r.DestinationEncryptionAlgorithm);
                Validate.GrantTokens(r.GrantTokens);
            },
            r => new ReEncryptResources(ResolveDecryption(r.CiphertextBlob, r.SourceKeyId, incorrectKeyMember: "SourceKeyId"), Resolve(r.DestinationKeyId)),
            (r, resources) =>
            {
                (byte[] plaintext, EncryptionAlgorithmSpec sourceAlgorithm) = DecryptAny(resources.Source, r.SourceEncryptionAlgorithm, r.SourceEncryptionContext, nameof(r.SourceEncryptionContext));
                try
                {
                    (byte[] blob, EncryptionAlgorithmSpec destinationAlgorithm) = EncryptAny(resources.Destination, r.DestinationEncryptionAlgorithm, plaintext, r.DestinationEncryptionContext, nameof(r.DestinationEncryptionContext));
                    return new ReEncryptResponse
                    {
                        CiphertextBlob = blob,
                        SourceKeyId = resources.Source.Key.Arn,
                        KeyId = resources.Destination.Arn,
                        SourceEncryptionAlgorithm = sourceAlgorithm,
                        DestinationEncryptionAlgorithm = destinationAlgorithm,
                    };
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(plaintext);
                }
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyResponse> GenerateDataKeyAsync(GenerateDataKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_generateDataKey,
            request,
            r => ValidateDataKeyRequest(r.KeyId, r.NumberOfBytes, r.KeySpec, r.GrantTokens),
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                (byte[] blob, byte[] plaintext) = GenerateDataKey(key, r.NumberOfBytes, r.KeySpec, r.EncryptionContext);
                return new GenerateDataKeyResponse { CiphertextBlob = blob, Plaintext = plaintext, KeyId = key.Arn };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyWithoutPlaintextResponse> GenerateDataKeyWithoutPlaintextAsync(GenerateDataKeyWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_generateDataKeyWithoutPlaintext,
            request,
            r => ValidateDataKeyRequest(r.KeyId, r.NumberOfBytes, r.KeySpec, r.GrantTokens),
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                (byte[] blob, byte[] plaintext) = GenerateDataKey(key, r.NumberOfBytes, r.KeySpec, r.EncryptionContext);
                CryptographicOperations.ZeroMemory(plaintext);
                return new GenerateDataKeyWithoutPlaintextResponse { CiphertextBlob = blob, KeyId = key.Arn };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateRandomResponse> GenerateRandomAsync(GenerateRandomRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_generateRandom,
            request,
            r => Validate.Range(nameof(r.NumberOfBytes), r.NumberOfBytes, 1, 1024),
            _ => _account,
            (r, _) => new GenerateRandomResponse { Plaintext = RandomNumberGenerator.GetBytes(r.NumberOfBytes) },
            dryRun: false,
            cancellationToken);

    // ---------------------------------------------------------------- rotation

    /// <inheritdoc/>
    public Task<EnableKeyRotationResponse> EnableKeyRotationAsync(EnableKeyRotationRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_enableKeyRotation,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Range(nameof(r.RotationPeriodInDays), r.RotationPeriodInDays, 90, 2560); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireRotatable(key, s_enableKeyRotation);
                RequireUsable(key);
                int period = r.RotationPeriodInDays ?? 365;
                Mutate(key.KeyId, k => k with { RotationEnabled = true, RotationPeriodInDays = period, NextRotationDate = Now.AddDays(period) });
                return new EnableKeyRotationResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<DisableKeyRotationResponse> DisableKeyRotationAsync(DisableKeyRotationRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_disableKeyRotation,
            request,
            r => ValidateKeyId(r.KeyId),
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                RequireRotatable(key, s_disableKeyRotation);
                RequireUsable(key);
                Mutate(key.KeyId, k => k with { RotationEnabled = false, RotationPeriodInDays = null, NextRotationDate = null });
                return new DisableKeyRotationResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GetKeyRotationStatusResponse> GetKeyRotationStatusAsync(GetKeyRotationStatusRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_getKeyRotationStatus,
            request,
            r => ValidateKeyId(r.KeyId),
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                if (!key.IsSymmetricEncryption)
                {
                    throw new UnsupportedOperationException($"{key.Arn} key usage or key spec does not support automatic rotation.");
                }

                return new GetKeyRotationStatusResponse
                {
                    KeyId = key.KeyId,
                    KeyRotationEnabled = key.RotationEnabled,
                    RotationPeriodInDays = key.RotationPeriodInDays,
                    NextRotationDate = key.NextRotationDate,
                };
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<RotateKeyOnDemandResponse> RotateKeyOnDemandAsync(RotateKeyOnDemandRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_rotateKeyOnDemand,
            request,
            r => ValidateKeyId(r.KeyId),
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                RequireRotatable(key, s_rotateKeyOnDemand);
                RequireUsable(key);
                Mutate(key.KeyId, k =>
                {
                    if (k.OnDemandRotationCount >= MaxOnDemandRotations)
                    {
                        throw new LimitExceededException($"{k.Arn} has reached the limit of {MaxOnDemandRotations} on-demand rotations.");
                    }

                    return Rotate(k, RotationType.ON_DEMAND, Now) with { OnDemandRotationCount = k.OnDemandRotationCount + 1 };
                });
                return new RotateKeyOnDemandResponse { KeyId = key.KeyId };
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListKeyRotationsResponse> ListKeyRotationsAsync(ListKeyRotationsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listKeyRotations,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Range(nameof(r.Limit), r.Limit, 1, 1000); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                if (!key.IsSymmetricEncryption)
                {
                    throw new UnsupportedOperationException($"{key.Arn} key usage or key spec does not support rotation.");
                }

                // Markers sort by zero-padded material version, so pages come oldest first.
                IEnumerable<KeyMaterial> rotations = key.Materials.Where(m => m.RotationType is not null);
                (IReadOnlyList<KeyMaterial> page, string? next) = Page(rotations, m => m.Version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), r.Marker, r.Limit ?? 100);
                return new ListKeyRotationsResponse
                {
                    Rotations = page.Select(m => new RotationsListEntry { KeyId = key.KeyId, RotationDate = m.CreationDate, RotationType = m.RotationType!.Value, KeyMaterialId = m.KeyMaterialId }).ToArray(),
                    NextMarker = next,
                    Truncated = next is not null,
                };
            },
            dryRun: false,
            cancellationToken);

    // ---------------------------------------------------------------- key policies

    /// <inheritdoc/>
    public Task<PutKeyPolicyResponse> PutKeyPolicyAsync(PutKeyPolicyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_putKeyPolicy,
            request,
            r =>
            {
                ValidateKeyId(r.KeyId);
                ValidatePolicyName(r.PolicyName);
                ValidatePolicy(r.Policy);
            },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireNotPendingDeletion(key);
                if (r.BypassPolicyLockoutSafetyCheck != true)
                {
                    RequireNoLockout(r.Policy, key);
                }

                Mutate(key.KeyId, k => k with { Policy = r.Policy });
                return new PutKeyPolicyResponse();
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GetKeyPolicyResponse> GetKeyPolicyAsync(GetKeyPolicyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_getKeyPolicy,
            request,
            r => { ValidateKeyId(r.KeyId); ValidatePolicyName(r.PolicyName); },
            r => Resolve(r.KeyId),
            (_, key) => new GetKeyPolicyResponse { Policy = key.Policy, PolicyName = "default" },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListKeyPoliciesResponse> ListKeyPoliciesAsync(ListKeyPoliciesRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listKeyPolicies,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Range(nameof(r.Limit), r.Limit, 1, 1000); },
            r => Resolve(r.KeyId),
            (r, _) =>
            {
                (IReadOnlyList<string> page, string? next) = Page(["default"], n => n, r.Marker, r.Limit ?? 100);
                return new ListKeyPoliciesResponse { PolicyNames = page, NextMarker = next, Truncated = next is not null };
            },
            dryRun: false,
            cancellationToken);

    private static void ValidatePolicyName(string? name)
    {
        if (name is not null and not "default")
        {
            throw new ValidationException("PolicyName", $"The only key policy name is 'default', not '{name}'.");
        }
    }

    /// <summary>The lockout safety check: the new policy must still let the caller change the policy.</summary>
    private void RequireNoLockout(string policy, KeyRecord key)
    {
        if (!_authorizer.Allows(policy, VaultlibCaller.Resolve(_options), key, "kms:PutKeyPolicy"))
        {
            throw new MalformedPolicyDocumentException(
                string.Empty,
                "The new key policy will not allow you to update the key policy in the future. Set BypassPolicyLockoutSafetyCheck to apply it anyway.");
        }
    }

    // ---------------------------------------------------------------- grants

    /// <inheritdoc/>
    public Task<CreateGrantResponse> CreateGrantAsync(CreateGrantRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_createGrant,
            request,
            r =>
            {
                ValidateKeyId(r.KeyId);
                Validate.Length(nameof(r.GranteePrincipal), r.GranteePrincipal, 1, 256);
                Validate.Length(nameof(r.RetiringPrincipal), r.RetiringPrincipal, 1, 256, required: false);
                Validate.Length(nameof(r.Name), r.Name, 1, 256, required: false);
                Validate.GrantTokens(r.GrantTokens);
                Validate.Required(nameof(r.Operations), r.Operations);
                if (r.Operations.Count == 0 || r.Operations.Any(o => !Enum.IsDefined(o)))
                {
                    throw new ValidationException(nameof(r.Operations), $"Operations must list one or more of {string.Join(", ", Enum.GetNames<GrantOperation>())}.");
                }

                if (r.Name is not null && !r.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '/' or '_' or '-'))
                {
                    throw new ValidationException(nameof(r.Name), "A grant name uses only a-z, A-Z, 0-9, ':', '/', '_' and '-'.");
                }

                if (r.Constraints is { EncryptionContextEquals: not null, EncryptionContextSubset: not null })
                {
                    throw new ValidationException(nameof(r.Constraints), "A grant takes EncryptionContextEquals or EncryptionContextSubset, not both.");
                }
            },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireNotPendingDeletion(key);
                lock (_writeGate)
                {
                    GrantRecord? same = r.Name is null ? null : _grants.Values.FirstOrDefault(g => g.KeyId == key.KeyId && g.Name == r.Name
                        && g.GranteePrincipal == r.GranteePrincipal && g.RetiringPrincipal == r.RetiringPrincipal && g.Operations.SequenceEqual(r.Operations));
                    if (same is not null)
                    {
                        return new CreateGrantResponse { GrantId = same.GrantId, GrantToken = same.GrantToken }; // idempotent by name
                    }

                    string grantId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
                    var grant = new GrantRecord
                    {
                        GrantId = grantId,
                        GrantToken = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.ASCII.GetBytes($"vlgt1:{grantId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}")),
                        KeyId = key.KeyId,
                        Name = r.Name,
                        GranteePrincipal = r.GranteePrincipal,
                        RetiringPrincipal = r.RetiringPrincipal,
                        Operations = [.. r.Operations.Distinct()],
                        EncryptionContextEquals = r.Constraints?.EncryptionContextEquals?.ToDictionary(StringComparer.Ordinal),
                        EncryptionContextSubset = r.Constraints?.EncryptionContextSubset?.ToDictionary(StringComparer.Ordinal),
                        CreationDate = Now,
                        IssuingAccount = _ids.AccountArn,
                    };
                    _store.Put(GrantsCollection, grantId, grant.ToJson());
                    _grants[grantId] = grant;
                    return new CreateGrantResponse { GrantId = grantId, GrantToken = grant.GrantToken };
                }
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListGrantsResponse> ListGrantsAsync(ListGrantsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listGrants,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Range(nameof(r.Limit), r.Limit, 1, 100); },
            r => Resolve(r.KeyId),
            (r, key) => GrantPage(_grants.Values.Where(g => g.KeyId == key.KeyId && (r.GrantId is null || g.GrantId == r.GrantId) && (r.GranteePrincipal is null || g.GranteePrincipal == r.GranteePrincipal)), r.Marker, r.Limit),
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<ListGrantsResponse> ListRetirableGrantsAsync(ListRetirableGrantsRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_listRetirableGrants,
            request,
            r => { Validate.Length(nameof(r.RetiringPrincipal), r.RetiringPrincipal, 1, 256); Validate.Range(nameof(r.Limit), r.Limit, 1, 100); },
            _ => _account,
            (r, _) => GrantPage(_grants.Values.Where(g => g.RetiringPrincipal == r.RetiringPrincipal), r.Marker, r.Limit),
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<RetireGrantResponse> RetireGrantAsync(RetireGrantRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_retireGrant,
            request,
            r =>
            {
                if (r.GrantToken is null && (r.KeyId is null || r.GrantId is null))
                {
                    throw new ValidationException("GrantToken", "RetireGrant needs the GrantToken, or the KeyId and the GrantId.");
                }
            },
            r => FindGrant(r.GrantToken, r.KeyId, r.GrantId),
            (_, grant) =>
            {
                RemoveGrant(grant.Grant.GrantId);
                return new RetireGrantResponse();
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<RevokeGrantResponse> RevokeGrantAsync(RevokeGrantRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_revokeGrant,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.Length(nameof(r.GrantId), r.GrantId, 1, 128); },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                if (!_grants.TryGetValue(r.GrantId, out GrantRecord? grant) || grant.KeyId != key.KeyId)
                {
                    throw new InvalidGrantIdException($"Grant ID {r.GrantId} is not a grant of {key.Arn}.");
                }

                RemoveGrant(grant.GrantId);
                return new RevokeGrantResponse();
            },
            request?.DryRun == true,
            cancellationToken);

    private static ListGrantsResponse GrantPage(IEnumerable<GrantRecord> grants, string? marker, int? limit)
    {
        (IReadOnlyList<GrantRecord> page, string? next) = Page(grants, g => g.GrantId, marker, limit ?? 50);
        return new ListGrantsResponse { Grants = [.. page.Select(g => g.ToEntry())], NextMarker = next, Truncated = next is not null };
    }

    private GrantResource FindGrant(string? token, string? keyId, string? grantId)
    {
        GrantRecord? grant;
        if (token is not null)
        {
            grant = _grants.Values.FirstOrDefault(g => CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(g.GrantToken), System.Text.Encoding.ASCII.GetBytes(token)));
            if (grant is null)
            {
                throw new InvalidGrantTokenException();
            }
        }
        else
        {
            KeyRecord key = Resolve(keyId!);
            grant = _grants.GetValueOrDefault(grantId!) is { } g && g.KeyId == key.KeyId ? g : throw new InvalidGrantIdException($"Grant ID {grantId} is not a grant of {key.Arn}.");
        }

        KeyRecord owner = FindKey(grant.KeyId) ?? throw new NotFoundException($"Key '{_ids.KeyArn(grant.KeyId)}' does not exist");
        return new GrantResource(grant, owner);
    }

    private void RemoveGrant(string grantId)
    {
        lock (_writeGate)
        {
            _store.Delete(GrantsCollection, grantId);
            _grants.TryRemove(grantId, out GrantRecord? _);
        }
    }

    // ---------------------------------------------------------------- asymmetric and HMAC keys

    /// <inheritdoc/>
    public Task<SignResponse> SignAsync(SignRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_sign,
            request,
            r => ValidateSigningRequest(r.KeyId, r.Message, r.MessageType, r.SigningAlgorithm, r.GrantTokens),
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                MessageType type = RequireSigning(key, r.SigningAlgorithm, r.MessageType, r.Message.Length);
                byte[] signature = AsymmetricCrypto.Sign(key.KeySpec, key.Current.Secret, r.SigningAlgorithm, type, r.Message.Span);
                return new SignResponse { KeyId = key.Arn, Signature = signature, SigningAlgorithm = r.SigningAlgorithm };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<VerifyResponse> VerifyAsync(VerifyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_verify,
            request,
            r =>
            {
                ValidateSigningRequest(r.KeyId, r.Message, r.MessageType, r.SigningAlgorithm, r.GrantTokens);
                Validate.ByteLength(nameof(r.Signature), r.Signature, 1, 6144);
            },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                MessageType type = RequireSigning(key, r.SigningAlgorithm, r.MessageType, r.Message.Length);
                if (!AsymmetricCrypto.Verify(key.KeySpec, key.Current.PublicKey!, r.SigningAlgorithm, type, r.Message.Span, r.Signature.Span))
                {
                    throw new KMSInvalidSignatureException();
                }

                return new VerifyResponse { KeyId = key.Arn, SignatureValid = true, SigningAlgorithm = r.SigningAlgorithm };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GetPublicKeyResponse> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_getPublicKey,
            request,
            r => { ValidateKeyId(r.KeyId); Validate.GrantTokens(r.GrantTokens); },
            r => Resolve(r.KeyId),
            (_, key) =>
            {
                if (!KeySpecs.IsAsymmetric(key.KeySpec))
                {
                    throw new UnsupportedOperationException($"{key.Arn} is a {key.KeySpec} key; only asymmetric keys have a public key.");
                }

                RequireUsable(key);
                return new GetPublicKeyResponse
                {
                    KeyId = key.Arn,
                    PublicKey = key.Current.PublicKey!.ToArray(),
                    KeySpec = key.KeySpec,
                    KeyUsage = key.KeyUsage,
                    EncryptionAlgorithms = KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage),
                    SigningAlgorithms = KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage),
                };
            },
            dryRun: false,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateMacResponse> GenerateMacAsync(GenerateMacRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_generateMac,
            request,
            r => ValidateMacRequest(r.KeyId, r.Message, r.MacAlgorithm, r.GrantTokens),
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireMac(key, r.MacAlgorithm);
                return new GenerateMacResponse { Mac = AsymmetricCrypto.Mac(key.Current.Secret, r.MacAlgorithm, r.Message.Span), MacAlgorithm = r.MacAlgorithm, KeyId = key.Arn };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<VerifyMacResponse> VerifyMacAsync(VerifyMacRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_verifyMac,
            request,
            r =>
            {
                ValidateMacRequest(r.KeyId, r.Message, r.MacAlgorithm, r.GrantTokens);
                Validate.ByteLength(nameof(r.Mac), r.Mac, 1, 6144);
            },
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                RequireMac(key, r.MacAlgorithm);
                byte[] expected = AsymmetricCrypto.Mac(key.Current.Secret, r.MacAlgorithm, r.Message.Span);
                if (!CryptographicOperations.FixedTimeEquals(expected, r.Mac.Span))
                {
                    throw new KMSInvalidMacException();
                }

                return new VerifyMacResponse { KeyId = key.Arn, MacValid = true, MacAlgorithm = r.MacAlgorithm };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyPairResponse> GenerateDataKeyPairAsync(GenerateDataKeyPairRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_generateDataKeyPair,
            request,
            r => ValidateDataKeyPairRequest(r.KeyId, r.KeyPairSpec, r.GrantTokens),
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                (byte[] blob, byte[] privateKey, byte[] publicKey) = GenerateDataKeyPair(key, r.KeyPairSpec, r.EncryptionContext);
                return new GenerateDataKeyPairResponse { PrivateKeyCiphertextBlob = blob, PrivateKeyPlaintext = privateKey, PublicKey = publicKey, KeyId = key.Arn, KeyPairSpec = r.KeyPairSpec };
            },
            request?.DryRun == true,
            cancellationToken);

    /// <inheritdoc/>
    public Task<GenerateDataKeyPairWithoutPlaintextResponse> GenerateDataKeyPairWithoutPlaintextAsync(GenerateDataKeyPairWithoutPlaintextRequest request, CancellationToken cancellationToken = default) =>
        _pipeline.Invoke(
            s_generateDataKeyPairWithoutPlaintext,
            request,
            r => ValidateDataKeyPairRequest(r.KeyId, r.KeyPairSpec, r.GrantTokens),
            r => Resolve(r.KeyId),
            (r, key) =>
            {
                (byte[] blob, byte[] privateKey, byte[] publicKey) = GenerateDataKeyPair(key, r.KeyPairSpec, r.EncryptionContext);
                CryptographicOperations.ZeroMemory(privateKey);
                return new GenerateDataKeyPairWithoutPlaintextResponse { PrivateKeyCiphertextBlob = blob, PublicKey = publicKey, KeyId = key.Arn, KeyPairSpec = r.KeyPairSpec };
            },
            request?.DryRun == true,
            cancellationToken);

    // ---------------------------------------------------------------- AWS managed keys (for the other Vaultlib services)

    /// <summary>
    /// The AWS managed key <c>alias/aws/&lt;service&gt;</c>, created on first use as AWS does when a
    /// service first needs it: symmetric, enabled, rotated every 365 days, refusing
    /// Disable/ScheduleKeyDeletion/rotation changes. Returns its key ARN.
    /// </summary>
    internal string GetOrCreateAwsManagedKey(string service)
    {
        string aliasName = $"alias/aws/{service}";
        lock (_writeGate)
        {
            if (_aliases.TryGetValue(aliasName, out AliasRecord? existing) && _keys.TryGetValue(existing.TargetKeyId, out KeyRecord? key))
            {
                return key.Arn;
            }

            KeyRecord created = NewKeyRecord(
                Guid.NewGuid().ToString("D"),
                $"Default key that protects my {service.ToUpperInvariant()} data when no other key is defined",
                KeyManagerType.AWS,
                multiRegion: false,
                policy: AwsManagedKeyPolicy(service),
                tags: ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)) with
            {
                AwsManagedService = service,
                RotationEnabled = true,
                RotationPeriodInDays = 365,
                NextRotationDate = Now.AddDays(365),
            };
            Publish(created);
            PutAlias(new AliasRecord(aliasName, created.KeyId, Now, Now));
            Log.AwsManagedKeyCreated(_logger, created.Arn, service);
            return created.Arn;
        }
    }

    /// <summary>The key's current material bytes, for tests that look for key material where it must not be.</summary>
    internal byte[][] DangerousExportAllMaterialForTests(string keyId)
    {
        KeyRecord key = _keys[keyId];
        return key.Materials.Select(m =>
        {
            using SecretLease lease = m.Secret.Lease();
            return lease.Span.ToArray();
        }).ToArray();
    }

    // ---------------------------------------------------------------- internals

    private static Operation Kms(string name, bool readOnly) => new("kms", name, readOnly);

    /// <summary>What a ciphertext decrypts with: a symmetric blob and its material, or an RSA key and its raw ciphertext.</summary>
    private interface IDecryptionSource : IKeyResource
    {
    }

    private sealed record ReEncryptResources(IDecryptionSource Source, KeyRecord Destination) : IReEncryptResource
    {
        public string Arn => Source.Key.Arn;

        public KeyRecord Key => Source.Key;
    }

    private sealed record ResolvedBlob(KeyRecord Key, ParsedBlob Blob, KeyMaterial Material) : IDecryptionSource
    {
        public string Arn => Key.Arn;
    }

    private sealed record ResolvedRsa(KeyRecord Key, ReadOnlyMemory<byte> Ciphertext) : IDecryptionSource
    {
        public string Arn => Key.Arn;
    }

    private static void ValidateKeyId(string keyId, string member = "KeyId") => Validate.Length(member, keyId, 1, 2048);

    /// <summary>A page of a KMS listing; a marker this service did not issue is <see cref="InvalidMarkerException"/>.</summary>
    private static (IReadOnlyList<T> Page, string? NextMarker) Page<T>(IEnumerable<T> items, Func<T, string> keyOf, string? marker, int limit) =>
        PageMarker.Page(items, keyOf, marker, limit, static () => new InvalidMarkerException());

    private static void ValidateAliasTarget(string aliasName, string targetKeyId)
    {
        Validate.Length("AliasName", aliasName, 1, 256);
        ValidateKeyId(targetKeyId, "TargetKeyId");
        KeyIdentifiers.ValidateCustomerAliasName(aliasName);
    }

    private NotFoundException AliasNotFound(string aliasName) => new($"Alias {_ids.AliasArn(aliasName)} is not found.");

    private static void ValidateCreateKey(CreateKeyRequest r)
    {
        Validate.Length(nameof(r.Description), r.Description, 0, 8192, required: false);
        Validate.Defined(nameof(r.KeyUsage), r.KeyUsage);
        Validate.Defined(nameof(r.KeySpec), r.KeySpec);
        Validate.Defined(nameof(r.Origin), r.Origin);
        if (r.Tags is not null)
        {
            ValidateTags(r.Tags);
            if (r.Tags.Select(t => t.TagKey).Distinct(StringComparer.Ordinal).Count() > MaxTagsPerKey)
            {
                throw new TagException($"A key can have at most {MaxTagsPerKey} tags.");
            }
        }

        if (r.Policy is not null)
        {
            ValidatePolicy(r.Policy);
        }
    }

    private static void ValidateTags(IReadOnlyList<Tag>? tags)
    {
        Validate.Required("Tags", tags);
        foreach (Tag tag in tags!)
        {
            if (tag is null || tag.TagKey is null || tag.TagValue is null)
            {
                throw new TagException("A tag has a null key or value.");
            }

            if (tag.TagKey.Length is < 1 or > 128 || tag.TagValue.Length > 256)
            {
                throw new TagException($"Tag '{tag.TagKey}' is invalid: keys are 1-128 characters and values 0-256.");
            }

            if (tag.TagKey.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new TagException($"Tag key '{tag.TagKey}' is reserved: the 'aws:' prefix is for AWS.");
            }
        }
    }

    private static void ValidatePolicy(string policy)
    {
        if (policy.Length is < 1 or > 32768)
        {
            throw new MalformedPolicyDocumentException(string.Empty, $"The key policy must be 1-32768 characters; it is {policy.Length}.");
        }

        // The full IAM grammar: a key policy that would not parse as a policy is refused when it is set.
        _ = Authorization.PolicyDocument.Parse(policy);
    }

    private static void ValidateDataKeyRequest(string keyId, int? numberOfBytes, DataKeySpec? keySpec, IReadOnlyList<string>? grantTokens)
    {
        ValidateKeyId(keyId);
        Validate.Defined("KeySpec", keySpec);
        Validate.Range("NumberOfBytes", numberOfBytes, 1, 1024);
        Validate.GrantTokens(grantTokens);
        if (numberOfBytes is null == keySpec is null)
        {
            throw new ValidationException(
                numberOfBytes is null ? "KeySpec" : "NumberOfBytes",
                "Please specify either number of bytes or key spec: exactly one of KeySpec (AES_128, AES_256) and NumberOfBytes (1-1024) is required.");
        }
    }

    private CreateKeyResponse CreateKeyCore(CreateKeyRequest r)
    {
        KeySpec spec = r.KeySpec ?? KeySpec.SYMMETRIC_DEFAULT;
        KeyUsageType usage = r.KeyUsage ?? KeySpecs.Usages(spec)[0];
        if ((r.Origin ?? OriginType.AWS_KMS) != OriginType.AWS_KMS)
        {
            throw new UnsupportedOperationException($"Origin {r.Origin} is not supported: Vaultlib generates key material itself (AWS_KMS); import is not implemented.");
        }

        KeyUsageType[] usages = KeySpecs.Usages(spec);
        if (r.KeyUsage == KeyUsageType.KEY_AGREEMENT)
        {
            throw new UnsupportedOperationException("KeyUsage KEY_AGREEMENT (DeriveSharedSecret) is not supported by Vaultlib.");
        }

        if (!usages.Contains(usage))
        {
            throw new ValidationException(nameof(r.KeyUsage), $"KeyUsage {usage} is not compatible with KeySpec {spec}; it allows {string.Join(", ", usages)}.");
        }

        bool multiRegion = r.MultiRegion ?? false;
        string keyId = multiRegion ? "mrk-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) : Guid.NewGuid().ToString("D");
        var tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (r.Tags ?? []).Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)).DistinctBy(p => p.Key).Reverse());
        KeyRecord record = NewKeyRecord(keyId, r.Description ?? string.Empty, KeyManagerType.CUSTOMER, multiRegion, r.Policy ?? DefaultKeyPolicy(), tags, spec, usage);
        if (r.Policy is not null && r.BypassPolicyLockoutSafetyCheck != true)
        {
            RequireNoLockout(r.Policy, record);
        }

        lock (_writeGate)
        {
            Publish(record);
        }

        return new CreateKeyResponse { KeyMetadata = record.ToMetadata(_options.AccountId) };
    }

    private KeyRecord NewKeyRecord(string keyId, string description, KeyManagerType manager, bool multiRegion, string policy, ImmutableSortedDictionary<string, string> tags, KeySpec spec = KeySpec.SYMMETRIC_DEFAULT, KeyUsageType usage = KeyUsageType.ENCRYPT_DECRYPT) => new()
    {
        KeyId = keyId,
        Arn = _ids.KeyArn(keyId),
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

    private KeyRecord Rotate(KeyRecord key, RotationType type, DateTimeOffset at)
    {
        KeyMaterial material = NewMaterial(key.Materials.Length + 1, type, at);
        Log.KeyRotated(_logger, key.Arn, type.ToString(), material.Version);
        KeyRecord rotated = key with { Materials = key.Materials.Add(material) };
        return type == RotationType.AUTOMATIC && key.RotationPeriodInDays is { } period
            ? rotated with { NextRotationDate = at.AddDays(period) }
            : rotated;
    }

    private string DefaultKeyPolicy() =>
        $$"""{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"{{_ids.AccountArn}}"},"Action":"kms:*","Resource":"*"}]}""";

    private string AwsManagedKeyPolicy(string service) =>
        """{"Version":"2012-10-17","Id":"auto-SERVICE","Statement":[{"Sid":"Allow access through SERVICE for all principals in the account that are authorized to use SERVICE","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"ACCOUNT","kms:ViaService":"SERVICE.REGION.amazonaws.com"}}},{"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{"AWS":"ROOTARN"},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}]}"""
        .Replace("SERVICE", service, StringComparison.Ordinal)
        .Replace("ACCOUNT", _options.AccountId, StringComparison.Ordinal)
        .Replace("REGION", _options.Region, StringComparison.Ordinal)
        .Replace("ROOTARN", _ids.AccountArn, StringComparison.Ordinal);

    /// <summary>Finds a key by any KeyId form, applying time-driven changes that have fallen due.</summary>
    private KeyRecord Resolve(string keyIdOrAlias)
    {
        KeyIdentifier id = _ids.Parse(keyIdOrAlias);
        string keyId;
        if (id.Form is KeyIdForm.AliasName or KeyIdForm.AliasArn)
        {
            if (!_aliases.TryGetValue(id.Value, out AliasRecord? alias))
            {
                throw AliasNotFound(id.Value);
            }

            keyId = alias.TargetKeyId;
        }
        else
        {
            keyId = id.Value;
        }

        return FindKey(keyId) ?? throw new NotFoundException($"Key '{_ids.KeyArn(keyId)}' does not exist");
    }

    /// <summary>A key by id with due changes applied, or null when there is none (or its deletion window has ended).</summary>
    private KeyRecord? FindKey(string keyId)
    {
        if (!_keys.TryGetValue(keyId, out KeyRecord? key))
        {
            return null;
        }

        DateTimeOffset now = Now;
        bool deletionDue = key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now;
        bool rotationDue = key.KeyState == KeyState.Enabled && key.RotationEnabled && key.NextRotationDate <= now;
        if (!deletionDue && !rotationDue)
        {
            return key;
        }

        lock (_writeGate)
        {
            if (!_keys.TryGetValue(keyId, out key))
            {
                return null;
            }

            if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
            {
                Purge(key);
                return null;
            }

            KeyRecord updated = key;
            // Catch up every rotation that fell due, each dated when it was due.
            while (updated.KeyState == KeyState.Enabled && updated.RotationEnabled && updated.NextRotationDate is { } due && due <= now)
            {
                updated = Rotate(updated, RotationType.AUTOMATIC, due);
            }

            if (!ReferenceEquals(updated, key))
            {
                Publish(updated);
            }

            return updated;
        }
    }

    private AccountResource ResolveAlias(string aliasName) =>
        _aliases.ContainsKey(aliasName)
            ? new AccountResource(_ids.AliasArn(aliasName))
            : throw AliasNotFound(aliasName);

    /// <summary>
    /// A symmetric blob names its key; an RSA ciphertext does not, so it needs the request's KeyId.
    /// The requested key, when given, must be the blob's key (<see cref="IncorrectKeyException"/>).
    /// </summary>
    private IDecryptionSource ResolveDecryption(ReadOnlyMemory<byte> ciphertextBlob, string? requestedKeyId, string incorrectKeyMember = "KeyId")
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

    /// <summary>Encrypts under a symmetric key (the blob format) or an RSA key (plain RSA-OAEP).</summary>
    private static (byte[] Blob, EncryptionAlgorithmSpec Algorithm) EncryptAny(KeyRecord key, EncryptionAlgorithmSpec? requested, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string>? context, string contextMember)
    {
        EncryptionAlgorithmSpec algorithm = RequireEncryptionKey(key, requested);
        RequireUsable(key);
        if (algorithm == EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
        {
            return (EncryptWith(key, plaintext, EncryptionContextSerializer.Serialize(context, contextMember)), algorithm);
        }

        RequireNoContext(context, contextMember);
        int max = KeySpecs.RsaMaxPlaintext(key.KeySpec, algorithm);
        if (plaintext.Length > max)
        {
            throw new ValidationException("Plaintext", $"{key.KeySpec} with {algorithm} encrypts at most {max} bytes; the plaintext is {plaintext.Length}.");
        }

        return (AsymmetricCrypto.RsaEncrypt(key.Current.PublicKey!, algorithm, plaintext), algorithm);
    }

    /// <summary>Decrypts either kind of ciphertext; every failure of the ciphertext itself is <see cref="InvalidCiphertextException"/>.</summary>
    private static (byte[] Plaintext, EncryptionAlgorithmSpec Algorithm) DecryptAny(IDecryptionSource source, EncryptionAlgorithmSpec? requested, IReadOnlyDictionary<string, string>? context, string contextMember)
    {
        EncryptionAlgorithmSpec algorithm = RequireEncryptionKey(source.Key, requested);
        RequireUsable(source.Key);
        switch (source)
        {
            case ResolvedBlob blob:
                byte[] serializedContext = EncryptionContextSerializer.Serialize(context, contextMember);
                byte[] plaintext = new byte[blob.Blob.PlaintextLength];
                DecryptWith(blob, serializedContext, plaintext);
                return (plaintext, algorithm);
            case ResolvedRsa rsa:
                RequireNoContext(context, contextMember);
                return (AsymmetricCrypto.RsaDecrypt(rsa.Key.Current.Secret, algorithm, rsa.Ciphertext.Span) ?? throw new InvalidCiphertextException(), algorithm);
            default:
                throw new InvalidCiphertextException();
        }
    }

    private static void RequireNoContext(IReadOnlyDictionary<string, string>? context, string member)
    {
        if (context is { Count: > 0 })
        {
            throw new ValidationException(member, "Asymmetric KMS keys do not support an encryption context; it is supported only with symmetric encryption keys.");
        }
    }

    private static byte[] EncryptWith(KeyRecord key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> context)
    {
        KeyMaterial material = key.Current;
        using SecretLease lease = material.Secret.Lease();
        return CiphertextBlob.Encrypt(key.KeyId, material.Version, lease.Span, plaintext, context);
    }

    private static void DecryptWith(ResolvedBlob source, ReadOnlySpan<byte> context, Span<byte> destination)
    {
        using SecretLease lease = source.Material.Secret.Lease();
        CiphertextBlob.Decrypt(source.Blob, lease.Span, context, destination);
    }

    private static (byte[] Blob, byte[] Plaintext) GenerateDataKey(KeyRecord key, int? numberOfBytes, DataKeySpec? spec, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        RequireSymmetricEncryption(key, null);
        RequireUsable(key);
        byte[] context = EncryptionContextSerializer.Serialize(encryptionContext);
        int length = numberOfBytes ?? (spec == DataKeySpec.AES_128 ? 16 : 32);
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);
        return (EncryptWith(key, plaintext, context), plaintext);
    }

    private static void ValidateSigningRequest(string keyId, ReadOnlyMemory<byte> message, MessageType? type, SigningAlgorithmSpec algorithm, IReadOnlyList<string>? grantTokens)
    {
        ValidateKeyId(keyId);
        Validate.ByteLength("Message", message, 1, MaxPlaintextLength);
        Validate.Defined("MessageType", type);
        Validate.Defined("SigningAlgorithm", (SigningAlgorithmSpec?)algorithm);
        Validate.GrantTokens(grantTokens);
    }

    /// <summary>The key must sign with <paramref name="algorithm"/>; a DIGEST must be the hash's length.</summary>
    private static MessageType RequireSigning(KeyRecord key, SigningAlgorithmSpec algorithm, MessageType? requestedType, int messageLength)
    {
        if (key.KeyUsage != KeyUsageType.SIGN_VERIFY)
        {
            throw new InvalidKeyUsageException($"{key.Arn} key usage is {key.KeyUsage}, not SIGN_VERIFY.");
        }

        SigningAlgorithmSpec[] supported = KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage);
        if (!supported.Contains(algorithm))
        {
            throw new InvalidKeyUsageException($"{key.Arn} does not support signing algorithm {algorithm}; it supports {string.Join(", ", supported)}.");
        }

        RequireUsable(key);
        MessageType type = requestedType ?? MessageType.RAW;
        if (type == MessageType.DIGEST)
        {
            if (algorithm == SigningAlgorithmSpec.ED25519_SHA_512)
            {
                throw new ValidationException("MessageType", "ED25519_SHA_512 signs RAW messages only; DIGEST is not supported with it.");
            }

            int expected = KeySpecs.HashLength(KeySpecs.Hash(algorithm));
            if (messageLength != expected)
            {
                throw new ValidationException("Message", $"A DIGEST for {algorithm} must be {expected} bytes; it is {messageLength}.");
            }
        }

        return type;
    }

    private static void ValidateMacRequest(string keyId, ReadOnlyMemory<byte> message, MacAlgorithmSpec algorithm, IReadOnlyList<string>? grantTokens)
    {
        ValidateKeyId(keyId);
        Validate.ByteLength("Message", message, 1, MaxPlaintextLength);
        Validate.Defined("MacAlgorithm", (MacAlgorithmSpec?)algorithm);
        Validate.GrantTokens(grantTokens);
    }

    private static void RequireMac(KeyRecord key, MacAlgorithmSpec algorithm)
    {
        if (key.KeyUsage != KeyUsageType.GENERATE_VERIFY_MAC)
        {
            throw new InvalidKeyUsageException($"{key.Arn} key usage is {key.KeyUsage}, not GENERATE_VERIFY_MAC.");
        }

        if (!KeySpecs.MacAlgorithms(key.KeySpec).Contains(algorithm))
        {
            throw new InvalidKeyUsageException($"{key.Arn} is a {key.KeySpec} key; it supports {string.Join(", ", KeySpecs.MacAlgorithms(key.KeySpec))}, not {algorithm}.");
        }

        RequireUsable(key);
    }

    private static void ValidateDataKeyPairRequest(string keyId, DataKeyPairSpec spec, IReadOnlyList<string>? grantTokens)
    {
        ValidateKeyId(keyId);
        Validate.Defined("KeyPairSpec", (DataKeyPairSpec?)spec);
        Validate.GrantTokens(grantTokens);
    }

    private static (byte[] Blob, byte[] PrivateKey, byte[] PublicKey) GenerateDataKeyPair(KeyRecord key, DataKeyPairSpec spec, IReadOnlyDictionary<string, string>? encryptionContext)
    {
        RequireSymmetricEncryption(key, null);
        RequireUsable(key);
        byte[] context = EncryptionContextSerializer.Serialize(encryptionContext);
        (byte[] privateKey, byte[] publicKey) = AsymmetricCrypto.GenerateDataKeyPair(spec);
        return (EncryptWith(key, privateKey, context), privateKey, publicKey);
    }

    private static void RequireUsable(KeyRecord key)
    {
        switch (key.KeyState)
        {
            case KeyState.Enabled:
                return;
            case KeyState.Disabled:
                throw new DisabledException($"{key.Arn} is disabled.");
            case KeyState.PendingDeletion:
                throw new KMSInvalidStateException($"{key.Arn} is pending deletion.");
            default:
                throw new KMSInvalidStateException($"{key.Arn} is {key.KeyState}.");
        }
    }

    private static void RequireNotPendingDeletion(KeyRecord key)
    {
        if (key.KeyState == KeyState.PendingDeletion)
        {
            throw new KMSInvalidStateException($"{key.Arn} is pending deletion.");
        }
    }

    /// <summary>The key must encrypt, with the requested algorithm (default SYMMETRIC_DEFAULT) among its algorithms.</summary>
    private static EncryptionAlgorithmSpec RequireEncryptionKey(KeyRecord key, EncryptionAlgorithmSpec? requested)
    {
        if (key.KeyUsage != KeyUsageType.ENCRYPT_DECRYPT)
        {
            throw new InvalidKeyUsageException($"{key.Arn} key usage is {key.KeyUsage}, not ENCRYPT_DECRYPT.");
        }

        EncryptionAlgorithmSpec algorithm = requested ?? EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT;
        EncryptionAlgorithmSpec[] supported = KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage);
        if (!supported.Contains(algorithm))
        {
            throw new InvalidKeyUsageException($"{key.Arn} does not support encryption algorithm {algorithm}; it supports {string.Join(", ", supported)}.");
        }

        return algorithm;
    }

    private static void RequireSymmetricEncryption(KeyRecord key, EncryptionAlgorithmSpec? algorithm)
    {
        if (!key.IsSymmetricEncryption)
        {
            throw new InvalidKeyUsageException($"{key.Arn} key usage is {key.KeyUsage} and key spec {key.KeySpec}; this operation needs a SYMMETRIC_DEFAULT ENCRYPT_DECRYPT key.");
        }

        if (algorithm is { } a && a != EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT)
        {
            throw new InvalidKeyUsageException($"{key.Arn} does not support encryption algorithm {a}; it supports SYMMETRIC_DEFAULT.");
        }
    }

    private static void RequireCustomerManaged(KeyRecord key, Operation operation)
    {
        if (key.KeyManager == KeyManagerType.AWS)
        {
            throw new AccessDeniedException($"User is not authorized to perform: {operation.Action} on resource: {key.Arn} because the resource is an AWS managed key, and its key policy does not allow the action.");
        }
    }

    private static void RequireRotatable(KeyRecord key, Operation operation)
    {
        RequireCustomerManaged(key, operation);
        if (!key.IsSymmetricEncryption)
        {
            throw new UnsupportedOperationException($"{key.Arn} key usage or key spec does not support rotation; only SYMMETRIC_DEFAULT keys rotate.");
        }
    }

    private static void RequireAliasTarget(KeyRecord key)
    {
        if (key.KeyManager == KeyManagerType.AWS)
        {
            throw new NotFoundException($"Aliases can only point to customer managed keys; {key.Arn} is AWS managed.");
        }

        RequireNotPendingDeletion(key);
    }

    /// <summary>Applies <paramref name="change"/> to the latest snapshot under the write gate, persists it, then publishes it.</summary>
    private void Mutate(string keyId, Func<KeyRecord, KeyRecord> change)
    {
        lock (_writeGate)
        {
            KeyRecord current = FindKey(keyId) ?? throw new NotFoundException($"Key '{_ids.KeyArn(keyId)}' does not exist");
            KeyRecord updated = change(current);
            if (!ReferenceEquals(updated, current))
            {
                Publish(updated);
            }
        }
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

        _keys[record.KeyId] = record;
    }

    private void PutAlias(AliasRecord alias)
    {
        _store.Put(AliasesCollection, alias.AliasName, KeyRecordCodec.WriteAlias(alias));
        _aliases[alias.AliasName] = alias;
    }

    /// <summary>Deletes a key whose window has ended: its aliases, its record, and (last) its material. Callers hold the write gate.</summary>
    private void Purge(KeyRecord key)
    {
        foreach (AliasRecord alias in _aliases.Values.Where(a => a.TargetKeyId == key.KeyId).ToArray())
        {
            _store.Delete(AliasesCollection, alias.AliasName);
            _aliases.TryRemove(alias.AliasName, out _);
        }

        foreach (GrantRecord grant in _grants.Values.Where(g => g.KeyId == key.KeyId).ToArray())
        {
            _store.Delete(GrantsCollection, grant.GrantId);
            _grants.TryRemove(grant.GrantId, out GrantRecord? _);
        }

        _store.Delete(KeysCollection, key.KeyId);
        _keys.TryRemove(key.KeyId, out _);
        Log.KeyPurged(_logger, key.Arn, key.DeletionDate!.Value);
        foreach (KeyMaterial material in key.Materials)
        {
            // SafeHandle reference counting defers the zeroing until in-flight operations end.
            material.Secret.Dispose();
        }
    }

    private void SweepExpired()
    {
        DateTimeOffset now = Now;
        foreach (KeyRecord key in _keys.Values)
        {
            if (key.KeyState == KeyState.PendingDeletion && key.DeletionDate <= now)
            {
                FindKey(key.KeyId);
            }
        }
    }

    private void Load()
    {
        _store.Load(KeysCollection, (id, json) =>
        {
            KeyRecord record = KeyRecordCodec.ReadKey($"{KeysCollection}/{id}", json);
            if (record.KeyId != id)
            {
                throw new VaultStoreException(VaultStoreFailure.Tampered, $"{KeysCollection}/{id}", $"The record '{KeysCollection}/{id}' holds key {record.KeyId}.");
            }

            _keys[record.KeyId] = record;
        });
        _store.Load(AliasesCollection, (id, json) =>
        {
            AliasRecord alias = KeyRecordCodec.ReadAlias($"{AliasesCollection}/{id}", json);
            if (alias.AliasName != id)
            {
                throw new VaultStoreException(VaultStoreFailure.Tampered, $"{AliasesCollection}/{id}", $"The record '{AliasesCollection}/{id}' holds alias {alias.AliasName}.");
            }

            _aliases[alias.AliasName] = alias;
        });

        _store.Load(GrantsCollection, (id, json) =>
        {
            GrantRecord grant = GrantRecord.FromJson($"{GrantsCollection}/{id}", json);
            _grants[grant.GrantId] = grant;
        });

        foreach (GrantRecord dangling in _grants.Values.Where(g => !_keys.ContainsKey(g.KeyId)).ToArray())
        {
            _store.Delete(GrantsCollection, dangling.GrantId);
            _grants.TryRemove(dangling.GrantId, out GrantRecord? _);
        }

        // A crash between purging a key and deleting its aliases leaves aliases to nothing: finish the purge.
        foreach (AliasRecord dangling in _aliases.Values.Where(a => !_keys.ContainsKey(a.TargetKeyId)).ToArray())
        {
            _store.Delete(AliasesCollection, dangling.AliasName);
            _aliases.TryRemove(dangling.AliasName, out _);
        }
    }

    /// <summary>Zeroes every key's material and releases the store.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases material and the store.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
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
            _store.Dispose();
        }
    }

    /// <summary>Type and identity only.</summary>
    public override string ToString() => $"{GetType().Name}({_options.Region}, {_options.AccountId}, {_keys.Count} keys)";
}
