using System.Collections.Immutable;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>KMS <c>CreateKey</c>: Creates a key: symmetric AES-256-GCM unless the request says otherwise; the caller must not lock itself out of a policy it gives.</summary>
internal sealed class CreateKey() : AccountOperation<CreateKeyRequest, CreateKeyResponse>("CreateKey", readOnly: false)
{
    public static CreateKey Instance { get; } = new();

    public override RequestFacts Facts(CreateKeyRequest r) => new()
    {
        BypassPolicyLockoutSafetyCheck = r.BypassPolicyLockoutSafetyCheck ?? false,
        RequestTags = RequestTags(r.Tags),
        OperationKeys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kms:MultiRegion"] = r.MultiRegion == true ? "true" : "false",
            ["kms:KeyOrigin"] = (r.Origin ?? OriginType.AWS_KMS).ToString(),
            ["kms:KeySpec"] = (r.KeySpec ?? KeySpec.SYMMETRIC_DEFAULT).ToString(),
            ["kms:KeyUsage"] = (r.KeyUsage ?? KeySpecs.Usages(r.KeySpec ?? KeySpec.SYMMETRIC_DEFAULT)[0]).ToString(),
        },
    };

    public override void Validate(CreateKeyRequest r)
    {
        Internal.Validate.Length(nameof(r.Description), r.Description, 0, 8192, required: false);
        Internal.Validate.Defined(nameof(r.KeyUsage), r.KeyUsage);
        Internal.Validate.Defined(nameof(r.KeySpec), r.KeySpec);
        Internal.Validate.Defined(nameof(r.Origin), r.Origin);
        ValidateTagsAndPolicy(r.Tags, r.Policy);
    }

    /// <summary>The tags and key policy of a new key (CreateKey, ReplicateKey).</summary>
    public static void ValidateTagsAndPolicy(IReadOnlyList<Tag>? tags, string? policy)
    {
        if (tags is not null)
        {
            KmsValidate.Tags(tags);
            if (tags.Select(t => t.TagKey).Distinct(StringComparer.Ordinal).Count() > KmsValidate.MaxTagsPerKey)
            {
                throw new TagException($"A key can have at most {KmsValidate.MaxTagsPerKey} tags.");
            }
        }

        if (policy is not null)
        {
            KmsValidate.Policy(policy);
        }
    }

    /// <summary>The tags a request sets, for <c>aws:RequestTag/*</c>: the first value of each key.</summary>
    public static Dictionary<string, string>? RequestTags(IReadOnlyList<Tag>? tags) =>
        tags?.Where(tag => tag is { TagKey: not null, TagValue: not null }).DistinctBy(tag => tag.TagKey).ToDictionary(tag => tag.TagKey, tag => tag.TagValue, StringComparer.Ordinal);

    /// <summary>The tags a new key gets: the last value given for each key.</summary>
    public static ImmutableSortedDictionary<string, string> TagSet(IReadOnlyList<Tag>? tags) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (tags ?? []).Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)).DistinctBy(p => p.Key).Reverse());

    public override async ValueTask<CreateKeyResponse> ExecuteAsync(KeyTable keys, CreateKeyRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        KeySpec spec = r.KeySpec ?? KeySpec.SYMMETRIC_DEFAULT;
        KeyUsageType usage = r.KeyUsage ?? KeySpecs.Usages(spec)[0];
        OriginType origin = r.Origin ?? OriginType.AWS_KMS;
        if (origin is not (OriginType.AWS_KMS or OriginType.EXTERNAL))
        {
            throw new UnsupportedOperationException($"Origin {origin} needs a custom key store, which Vaultlib does not have; use AWS_KMS or EXTERNAL (imported key material).");
        }

        KeyUsageType[] usages = KeySpecs.Usages(spec);
        if (!usages.Contains(usage))
        {
            throw new ValidationException(nameof(r.KeyUsage), $"KeyUsage {usage} is not compatible with KeySpec {spec}; it allows {string.Join(", ", usages)}.");
        }

        bool multiRegion = r.MultiRegion ?? false;
        string keyId = multiRegion ? "mrk-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) : Guid.NewGuid().ToString("D");
        ImmutableSortedDictionary<string, string> tags = TagSet(r.Tags);
        KeyRecord record = keys.NewKeyRecord(keyId, r.Description ?? string.Empty, KeyManagerType.CUSTOMER, multiRegion, r.Policy ?? keys.DefaultKeyPolicy(), tags, spec, usage, origin);
        if (r.Policy is not null && r.BypassPolicyLockoutSafetyCheck != true)
        {
            PutKeyPolicy.RequireNoLockout(keys, r.Policy, record, context);
        }

        await keys.AddAsync(record, cancellationToken).ConfigureAwait(false);
        return new CreateKeyResponse { KeyMetadata = record.ToMetadata(keys.Options.AccountId) };
    }
}
