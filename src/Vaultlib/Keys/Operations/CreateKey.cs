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
        RequestTags = r.Tags?.Where(tag => tag is { TagKey: not null, TagValue: not null }).DistinctBy(tag => tag.TagKey).ToDictionary(tag => tag.TagKey, tag => tag.TagValue, StringComparer.Ordinal),
    };

    public override void Validate(CreateKeyRequest r)
    {
        Internal.Validate.Length(nameof(r.Description), r.Description, 0, 8192, required: false);
        Internal.Validate.Defined(nameof(r.KeyUsage), r.KeyUsage);
        Internal.Validate.Defined(nameof(r.KeySpec), r.KeySpec);
        Internal.Validate.Defined(nameof(r.Origin), r.Origin);
        if (r.Tags is not null)
        {
            KmsValidate.Tags(r.Tags);
            if (r.Tags.Select(t => t.TagKey).Distinct(StringComparer.Ordinal).Count() > KmsValidate.MaxTagsPerKey)
            {
                throw new TagException($"A key can have at most {KmsValidate.MaxTagsPerKey} tags.");
            }
        }

        if (r.Policy is not null)
        {
            KmsValidate.Policy(r.Policy);
        }
    }

    public override async ValueTask<CreateKeyResponse> ExecuteAsync(KeyTable keys, CreateKeyRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        KeySpec spec = r.KeySpec ?? KeySpec.SYMMETRIC_DEFAULT;
        KeyUsageType usage = r.KeyUsage ?? KeySpecs.Usages(spec)[0];
        if ((r.Origin ?? OriginType.AWS_KMS) != OriginType.AWS_KMS)
        {
            throw new UnsupportedOperationException($"Origin {r.Origin} is not supported: Vaultlib generates key material itself (AWS_KMS); import is not implemented.");
        }

        KeyUsageType[] usages = KeySpecs.Usages(spec);
        if (!usages.Contains(usage))
        {
            throw new ValidationException(nameof(r.KeyUsage), $"KeyUsage {usage} is not compatible with KeySpec {spec}; it allows {string.Join(", ", usages)}.");
        }

        bool multiRegion = r.MultiRegion ?? false;
        string keyId = multiRegion ? "mrk-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) : Guid.NewGuid().ToString("D");
        var tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (r.Tags ?? []).Select(t => KeyValuePair.Create(t.TagKey, t.TagValue)).DistinctBy(p => p.Key).Reverse());
        KeyRecord record = keys.NewKeyRecord(keyId, r.Description ?? string.Empty, KeyManagerType.CUSTOMER, multiRegion, r.Policy ?? keys.DefaultKeyPolicy(), tags, spec, usage);
        if (r.Policy is not null && r.BypassPolicyLockoutSafetyCheck != true)
        {
            PutKeyPolicy.RequireNoLockout(keys, r.Policy, record, context);
        }

        await keys.AddAsync(record, cancellationToken).ConfigureAwait(false);
        return new CreateKeyResponse { KeyMetadata = record.ToMetadata(keys.Options.AccountId) };
    }
}
