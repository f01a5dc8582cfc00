using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vaultlib.Internal;
using Vaultlib.Keys;
using Vaultlib.Storage;

namespace Vaultlib.Envelope;

/// <summary>
/// A branch key store over a Vaultlib store (memory, SQLite or PostgreSQL), shaped as the Material Providers Library's
/// DynamoDB key store (hierarchy version 1): per branch key, one record per version (<c>branch:version:&lt;uuid&gt;</c>)
/// and one for the active version (<c>branch:ACTIVE</c>), each holding the branch key wrapped by a KMS key
/// (<c>GenerateDataKeyWithoutPlaintext</c>, then <c>ReEncrypt</c> for the active copy) under an encryption context
/// of every other attribute of the record plus the logical key store name, so no attribute can change unseen and
/// nothing is plaintext at rest. Versioning is a transaction that fails if another writer versioned first.
/// Beacon keys (for the Database Encryption SDK's searchable encryption) are not made.
/// </summary>
public sealed class VaultBranchKeyStore : IBranchKeyStore
{
    private const string ActiveType = "branch:ACTIVE";
    private const string VersionPrefix = "branch:version:";
    private const string CustomContextPrefix = "aws-crypto-ec:";

    private readonly IVaultStore _store;
    private readonly IKmsKeyringClient _kms;
    private readonly string _kmsKeyArn;
    private readonly string _logicalKeyStoreName;
    private readonly IReadOnlyList<string>? _grantTokens;
    private readonly TimeProvider _time;

    /// <summary>Creates the key store.</summary>
    /// <param name="store">Where the records live.</param>
    /// <param name="kms">The KMS client that wraps and unwraps branch keys.</param>
    /// <param name="kmsKeyArn">The symmetric KMS key's ARN (not an alias).</param>
    /// <param name="logicalKeyStoreName">The name bound to every branch key (the MPL's logical key store name).</param>
    /// <param name="grantTokens">Grant tokens for every KMS call.</param>
    /// <param name="timeProvider">The clock for creation times.</param>
    /// <exception cref="ArgumentException">The ARN is not a KMS key ARN, or the name is empty.</exception>
    public VaultBranchKeyStore(IVaultStore store, IKmsKeyringClient kms, string kmsKeyArn, string logicalKeyStoreName, IEnumerable<string>? grantTokens = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentException.ThrowIfNullOrEmpty(logicalKeyStoreName);
        if (AwsKmsArn.ParseKeyArn(kmsKeyArn) is null)
        {
            throw new ArgumentException($"'{kmsKeyArn}' is not a KMS key ARN; a branch key store needs one (not an alias).", nameof(kmsKeyArn));
        }

        _store = store;
        _kms = kms;
        _kmsKeyArn = kmsKeyArn;
        _logicalKeyStoreName = logicalKeyStoreName;
        _grantTokens = AwsKmsDataKeys.Copy(grantTokens);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The logical key store name.</summary>
    public string LogicalKeyStoreName => _logicalKeyStoreName;

    /// <summary>
    /// Creates a branch key and its first version (the MPL's <c>CreateKey</c>); returns its id.
    /// </summary>
    /// <param name="branchKeyIdentifier">The id; a new UUID when null (then <paramref name="encryptionContext"/> is optional).</param>
    /// <param name="encryptionContext">Custom context bound to every version; required with an id of your own.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BranchKeyStoreException">The branch key id exists already.</exception>
    public async Task<string> CreateKeyAsync(string? branchKeyIdentifier = null, IReadOnlyDictionary<string, string>? encryptionContext = null, CancellationToken cancellationToken = default)
    {
        if (branchKeyIdentifier is not null && encryptionContext is null)
        {
            throw new ArgumentException("A branch key id of your own needs an encryption context too.", nameof(encryptionContext));
        }

        if (branchKeyIdentifier is { Length: 0 })
        {
            throw new ArgumentException("A branch key id must not be empty.", nameof(branchKeyIdentifier));
        }

        string id = branchKeyIdentifier ?? Guid.NewGuid().ToString();
        (Dictionary<string, string> versionItem, Dictionary<string, string> activeItem) = await NewVersionAsync(id, encryptionContext ?? new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.CommitAsync(
                [RecordWrite.Put(Key(id, versionItem["type"]), 0, Serialize(versionItem)), RecordWrite.Put(Key(id, ActiveType), 0, Serialize(activeItem))],
                cancellationToken).ConfigureAwait(false);
        }
        catch (RecordConflictException e)
        {
            throw new BranchKeyStoreException($"The branch key '{id}' exists already.", e);
        }

        return id;
    }

    /// <summary>
    /// Makes a new active version of a branch key (the MPL's <c>VersionKey</c>): older versions stay, to decrypt. The
    /// active record is authenticated with KMS first, and the write fails if another writer versioned in between.
    /// </summary>
    /// <exception cref="BranchKeyStoreException">The branch key does not exist, its record fails authentication, or another writer versioned it first.</exception>
    public async Task VersionKeyAsync(string branchKeyIdentifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(branchKeyIdentifier);
        (StoredRecord record, Dictionary<string, string> active) = await ReadItemAsync(branchKeyIdentifier, ActiveType, cancellationToken).ConfigureAwait(false);
        Dictionary<string, string> context = AuthenticatedContext(active);
        try
        {
            await _kms.ReEncryptAsync(
                new ReEncryptRequest
                {
                    CiphertextBlob = Convert.FromBase64String(active["enc"]),
                    SourceKeyId = _kmsKeyArn,
                    SourceEncryptionContext = context,
                    DestinationKeyId = _kmsKeyArn,
                    DestinationEncryptionContext = context,
                    GrantTokens = _grantTokens,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BranchKeyStoreException($"The active record of branch key '{branchKeyIdentifier}' failed authentication.", e);
        }

        (Dictionary<string, string> versionItem, Dictionary<string, string> activeItem) = await NewVersionAsync(branchKeyIdentifier, CustomContext(active), cancellationToken).ConfigureAwait(false);
        try
        {
            await _store.CommitAsync(
                [RecordWrite.Put(Key(branchKeyIdentifier, versionItem["type"]), 0, Serialize(versionItem)), RecordWrite.Put(record.Key, record.Version, Serialize(activeItem))],
                cancellationToken).ConfigureAwait(false);
        }
        catch (RecordConflictException e)
        {
            throw new BranchKeyStoreException($"Another writer versioned branch key '{branchKeyIdentifier}' first; read it again.", e);
        }
    }

    /// <inheritdoc/>
    public Task<BranchKeyMaterials> GetActiveBranchKeyAsync(string branchKeyIdentifier, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(branchKeyIdentifier);
        return GetAsync(branchKeyIdentifier, ActiveType, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<BranchKeyMaterials> GetBranchKeyVersionAsync(string branchKeyIdentifier, string branchKeyVersion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(branchKeyIdentifier);
        ArgumentException.ThrowIfNullOrEmpty(branchKeyVersion);
        return GetAsync(branchKeyIdentifier, VersionPrefix + branchKeyVersion, cancellationToken);
    }

    /// <summary>The logical name and KMS key.</summary>
    public override string ToString() => $"VaultBranchKeyStore({_logicalKeyStoreName}, {_kmsKeyArn})";

    private async Task<BranchKeyMaterials> GetAsync(string branchKeyIdentifier, string type, CancellationToken cancellationToken)
    {
        (_, Dictionary<string, string> item) = await ReadItemAsync(branchKeyIdentifier, type, cancellationToken).ConfigureAwait(false);
        DecryptResponse decrypted;
        try
        {
            decrypted = await _kms.DecryptAsync(
                new DecryptRequest { KeyId = _kmsKeyArn, CiphertextBlob = Convert.FromBase64String(item["enc"]), EncryptionContext = AuthenticatedContext(item), GrantTokens = _grantTokens },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BranchKeyStoreException($"The record '{type}' of branch key '{branchKeyIdentifier}' did not decrypt: it was altered, or its KMS key is not usable.", e);
        }

        try
        {
            string versionType = type == ActiveType ? item["version"] : item["type"];
            return new BranchKeyMaterials(branchKeyIdentifier, versionType[VersionPrefix.Length..], CustomContext(item), decrypted.Plaintext.Span);
        }
        catch (ArgumentException e)
        {
            throw new BranchKeyStoreException($"The record '{type}' of branch key '{branchKeyIdentifier}' is malformed.", e);
        }
        finally
        {
            MemoryMarshalHelpers.Zero(decrypted.Plaintext);
        }
    }

    private async Task<(Dictionary<string, string> VersionItem, Dictionary<string, string> ActiveItem)> NewVersionAsync(
        string branchKeyIdentifier, IReadOnlyDictionary<string, string> customContext, CancellationToken cancellationToken)
    {
        string version = Guid.NewGuid().ToString();
        var versionItem = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["branch-key-id"] = branchKeyIdentifier,
            ["type"] = VersionPrefix + version,
            ["create-time"] = _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["kms-arn"] = _kmsKeyArn,
            ["hierarchy-version"] = "1",
        };
        foreach ((string key, string value) in customContext)
        {
            versionItem[CustomContextPrefix + key] = value;
        }

        var activeItem = new Dictionary<string, string>(versionItem, StringComparer.Ordinal) { ["type"] = ActiveType, ["version"] = VersionPrefix + version };
        Dictionary<string, string> versionContext = AuthenticatedContext(versionItem);
        GenerateDataKeyWithoutPlaintextResponse wrapped = await _kms.GenerateDataKeyWithoutPlaintextAsync(
            new GenerateDataKeyWithoutPlaintextRequest { KeyId = _kmsKeyArn, NumberOfBytes = BranchKeyMaterials.BranchKeyLength, EncryptionContext = versionContext, GrantTokens = _grantTokens },
            cancellationToken).ConfigureAwait(false);
        ReEncryptResponse active = await _kms.ReEncryptAsync(
            new ReEncryptRequest
            {
                CiphertextBlob = wrapped.CiphertextBlob,
                SourceKeyId = _kmsKeyArn,
                SourceEncryptionContext = versionContext,
                DestinationKeyId = _kmsKeyArn,
                DestinationEncryptionContext = AuthenticatedContext(activeItem),
                GrantTokens = _grantTokens,
            },
            cancellationToken).ConfigureAwait(false);
        versionItem["enc"] = Convert.ToBase64String(wrapped.CiphertextBlob.Span);
        activeItem["enc"] = Convert.ToBase64String(active.CiphertextBlob.Span);
        return (versionItem, activeItem);
    }

    private async Task<(StoredRecord Record, Dictionary<string, string> Item)> ReadItemAsync(string branchKeyIdentifier, string type, CancellationToken cancellationToken)
    {
        StoredRecord record = await _store.ReadAsync(Key(branchKeyIdentifier, type), cancellationToken).ConfigureAwait(false)
            ?? throw new BranchKeyStoreException($"The branch key '{branchKeyIdentifier}' has no record '{type}' in key store '{_logicalKeyStoreName}'.");
        Dictionary<string, string>? item;
        try
        {
            item = JsonSerializer.Deserialize(record.Data.Span, BranchKeyItemJsonContext.Default.DictionaryStringString);
        }
        catch (JsonException e)
        {
            throw new BranchKeyStoreException($"The record '{type}' of branch key '{branchKeyIdentifier}' is not readable.", e);
        }

        string[] required = type == ActiveType ? ["branch-key-id", "type", "enc", "create-time", "kms-arn", "hierarchy-version", "version"] : ["branch-key-id", "type", "enc", "create-time", "kms-arn", "hierarchy-version"];
        if (item is null || required.Any(field => !item.ContainsKey(field)) || item["branch-key-id"] != branchKeyIdentifier || item["type"] != type
            || (type == ActiveType && !item["version"].StartsWith(VersionPrefix, StringComparison.Ordinal)))
        {
            throw new BranchKeyStoreException($"The record '{type}' of branch key '{branchKeyIdentifier}' lacks a field of the key store's record format, or names another key.");
        }

        if (item["kms-arn"] != _kmsKeyArn)
        {
            throw new BranchKeyStoreException($"The branch key '{branchKeyIdentifier}' is wrapped by {item["kms-arn"]}, not this key store's KMS key.");
        }

        return (record, item);
    }

    /// <summary>The KMS encryption context of a record: every attribute but <c>enc</c>, and the logical key store name.</summary>
    private Dictionary<string, string> AuthenticatedContext(Dictionary<string, string> item)
    {
        var context = new Dictionary<string, string>(StringComparer.Ordinal) { ["tablename"] = _logicalKeyStoreName };
        foreach ((string key, string value) in item)
        {
            if (key != "enc")
            {
                context[key] = value;
            }
        }

        return context;
    }

    private static Dictionary<string, string> CustomContext(Dictionary<string, string> item) => item
        .Where(p => p.Key.StartsWith(CustomContextPrefix, StringComparison.Ordinal))
        .ToDictionary(p => p.Key[CustomContextPrefix.Length..], p => p.Value, StringComparer.Ordinal);

    private RecordKey Key(string branchKeyIdentifier, string type) => new($"branch-key-store/{_logicalKeyStoreName}", "branch-keys", $"{branchKeyIdentifier}/{type}");

    private static byte[] Serialize(Dictionary<string, string> item) => JsonSerializer.SerializeToUtf8Bytes(item, BranchKeyItemJsonContext.Default.DictionaryStringString);
}

/// <summary>A branch key record's attributes, as JSON.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class BranchKeyItemJsonContext : JsonSerializerContext;
