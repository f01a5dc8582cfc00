using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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

    private readonly RecordStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestPipeline _pipeline;
    private readonly KeyIdentifiers _ids;
    private readonly VaultlibOptions _options;
    private readonly AccountResource _account;
    private readonly ConcurrentDictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AliasRecord> _aliases = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();
    private bool _disposed;

    private protected KeyService(RecordStore store, VaultlibOptions? options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory)
    {
        _store = store;
        _options = VaultlibOptionsValidator.EnsureValid(options ?? new VaultlibOptions());
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Vaultlib.Keys.KeyService");
        _pipeline = new RequestPipeline(_logger);
        _ids = new KeyIdentifiers(_options);
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
                (IReadOnlyList<KeyRecord> page, string? next) = PageMarker.Page(_keys.Values, k => k.KeyId, r.Marker, r.Limit ?? 100, static () => new InvalidMarkerException());
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
                (IReadOnlyList<KeyValuePair<string, string>> page, string? next) = PageMarker.Page(key.Tags, t => t.Key, r.Marker, r.Limit ?? 50, static () => new InvalidMarkerException());
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
            r =>
            {
                Validate.Length(nameof(r.AliasName), r.AliasName, 1, 256);
                ValidateKeyId(r.TargetKeyId, nameof(r.TargetKeyId));
                KeyIdentifiers.ValidateCustomerAliasName(r.AliasName);
            },
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
            r =>
            {
                Validate.Length(nameof(r.AliasName), r.AliasName, 1, 256);
                ValidateKeyId(r.TargetKeyId, nameof(r.TargetKeyId));
                KeyIdentifiers.ValidateCustomerAliasName(r.AliasName);
            },
            r => Resolve(r.TargetKeyId),
            (r, key) =>
            {
                RequireAliasTarget(key);
                lock (_writeGate)
                {
                    if (!_aliases.TryGetValue(r.AliasName, out AliasRecord? alias))
                    {
                        throw new NotFoundException($"Alias {_ids.AliasArn(r.AliasName)} is not found.");
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
                        throw new NotFoundException($"Alias {_ids.AliasArn(r.AliasName)} is not found.");
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
                (IReadOnlyList<AliasRecord> page, string? next) = PageMarker.Page(aliases, a => a.AliasName, r.Marker, r.Limit ?? 50, static () => new InvalidMarkerException());
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
                RequireSymmetricEncryption(key, r.EncryptionAlgorithm);
                RequireUsable(key);
                byte[] context = EncryptionContextSerializer.Serialize(r.EncryptionContext);
                return new EncryptResponse
                {
                    CiphertextBlob = EncryptWith(key, r.Plaintext.Span, context),
                    KeyId = key.Arn,
                    EncryptionAlgorithm = EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT,
                };
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
            r => ResolveBlob(r.CiphertextBlob, r.KeyId),
            (r, source) =>
            {
                RequireSymmetricEncryption(source.Key, r.EncryptionAlgorithm);
                RequireUsable(source.Key);
                byte[] context = EncryptionContextSerializer.Serialize(r.EncryptionContext);
                byte[] plaintext = new byte[source.Blob.PlaintextLength];
                DecryptWith(source, context, plaintext);
                return new DecryptResponse { KeyId = source.Key.Arn, Plaintext = plaintext, EncryptionAlgorithm = EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT };
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
            r => new ReEncryptResources(ResolveBlob(r.CiphertextBlob, r.SourceKeyId, incorrectKeyMember: "SourceKeyId"), Resolve(r.DestinationKeyId)),
            (r, resources) =>
            {
                (ResolvedBlob source, KeyRecord destination) = (resources.Source, resources.Destination);
                RequireSymmetricEncryption(source.Key, r.SourceEncryptionAlgorithm);
                RequireUsable(source.Key);
                RequireSymmetricEncryption(destination, r.DestinationEncryptionAlgorithm);
                RequireUsable(destination);
                byte[] sourceContext = EncryptionContextSerializer.Serialize(r.SourceEncryptionContext, nameof(r.SourceEncryptionContext));
                byte[] destinationContext = EncryptionContextSerializer.Serialize(r.DestinationEncryptionContext, nameof(r.DestinationEncryptionContext));
                Span<byte> plaintext = stackalloc byte[source.Blob.PlaintextLength <= MaxPlaintextLength ? source.Blob.PlaintextLength : 0];
                if (plaintext.Length != source.Blob.PlaintextLength)
                {
                    throw new InvalidCiphertextException();
                }

                try
                {
                    DecryptWith(source, sourceContext, plaintext);
                    return new ReEncryptResponse
                    {
                        CiphertextBlob = EncryptWith(destination, plaintext, destinationContext),
                        SourceKeyId = source.Key.Arn,
                        KeyId = destination.Arn,
                        SourceEncryptionAlgorithm = EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT,
                        DestinationEncryptionAlgorithm = EncryptionAlgorithmSpec.SYMMETRIC_DEFAULT,
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
                (IReadOnlyList<KeyMaterial> page, string? next) = PageMarker.Page(rotations, m => m.Version.ToString("D10", System.Globalization.CultureInfo.InvariantCulture), r.Marker, r.Limit ?? 100, static () => new InvalidMarkerException());
                return new ListKeyRotationsResponse
                {
                    Rotations = page.Select(m => new RotationsListEntry { KeyId = key.KeyId, RotationDate = m.CreationDate, RotationType = m.RotationType!.Value, KeyMaterialId = m.KeyMaterialId }).ToArray(),
                    NextMarker = next,
                    Truncated = next is not null,
                };
            },
            dryRun: false,
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

    private sealed record ReEncryptResources(ResolvedBlob Source, KeyRecord Destination) : IArnResource
    {
        public string Arn => Source.Key.Arn;
    }

    private sealed record ResolvedBlob(KeyRecord Key, ParsedBlob Blob, KeyMaterial Material) : IArnResource
    {
        public string Arn => Key.Arn;
    }

    private static void ValidateKeyId(string keyId, string member = "KeyId") => Validate.Length(member, keyId, 1, 2048);

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
            throw new MalformedPolicyDocumentException($"The key policy must be 1-32768 characters; it is {policy.Length}.");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(policy);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedPolicyDocumentException("The key policy must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new MalformedPolicyDocumentException($"The key policy is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).");
        }
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
        KeyUsageType usage = r.KeyUsage ?? KeyUsageType.ENCRYPT_DECRYPT;
        if ((r.Origin ?? OriginType.AWS_KMS) != OriginType.AWS_KMS)
        {
            throw new UnsupportedOperationException($"Origin {r.Origin} is not supported: Vaultlib generates key material itself (AWS_KMS); import is not implemented.");
        }

        if (spec != KeySpec.SYMMETRIC_DEFAULT)
        {
            throw new UnsupportedOperationException($"KeySpec {spec} is not supported by this version of Vaultlib; SYMMETRIC_DEFAULT is.");
        }

        if (usage != KeyUsageType.ENCRYPT_DECRYPT)
        {
            throw new ValidationException(nameof(r.KeyUsage), $"KeyUsage {usage} is not compatible with KeySpec {spec}; SYMMETRIC_DEFAULT keys are ENCRYPT_DECRYPT.");
        }

        bool multiRegion = r.MultiRegion ?? false;
        string keyId = multiRegion ? "mrk-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) : Guid.NewGuid().ToString("D");
        var tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (r.Tags ?? []).Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)).DistinctBy(p => p.Key).Reverse());
        KeyRecord record = NewKeyRecord(keyId, r.Description ?? string.Empty, KeyManagerType.CUSTOMER, multiRegion, r.Policy ?? DefaultKeyPolicy(), tags);
        lock (_writeGate)
        {
            Publish(record);
        }

        return new CreateKeyResponse { KeyMetadata = record.ToMetadata(_options.AccountId) };
    }

    private KeyRecord NewKeyRecord(string keyId, string description, KeyManagerType manager, bool multiRegion, string policy, ImmutableSortedDictionary<string, string> tags) => new()
    {
        KeyId = keyId,
        Arn = _ids.KeyArn(keyId),
        CreationDate = Now,
        Description = description,
        KeyUsage = KeyUsageType.ENCRYPT_DECRYPT,
        KeySpec = KeySpec.SYMMETRIC_DEFAULT,
        Origin = OriginType.AWS_KMS,
        KeyManager = manager,
        MultiRegion = multiRegion,
        Policy = policy,
        Tags = tags,
        KeyState = KeyState.Enabled,
        Materials = [NewMaterial(1, null, Now)],
    };

    private static KeyMaterial NewMaterial(int version, RotationType? rotationType, DateTimeOffset at) =>
        new(version, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), at, rotationType, SecretBuffer.Random(32));

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
                throw new NotFoundException($"Alias {_ids.AliasArn(id.Value)} is not found.");
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
            : throw new NotFoundException($"Alias {_ids.AliasArn(aliasName)} is not found.");

    private ResolvedBlob ResolveBlob(ReadOnlyMemory<byte> ciphertextBlob, string? requestedKeyId, string incorrectKeyMember = "KeyId")
    {
        ParsedBlob blob = CiphertextBlob.Parse(ciphertextBlob);
        if (requestedKeyId is not null)
        {
            KeyRecord requested = Resolve(requestedKeyId);
            if (!string.Equals(requested.KeyId, blob.KeyId, StringComparison.Ordinal))
            {
                throw new IncorrectKeyException($"The key ID in the request ({incorrectKeyMember}) does not identify the KMS key that was used to encrypt the ciphertext.");
            }
        }

        // The blob's key id is not yet authenticated: an unknown key is the same error as any other bad blob.
        KeyRecord key = FindKey(blob.KeyId) ?? throw new InvalidCiphertextException();
        KeyMaterial material = key.FindMaterial(blob.MaterialVersion) ?? throw new InvalidCiphertextException();
        return new ResolvedBlob(key, blob, material);
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
