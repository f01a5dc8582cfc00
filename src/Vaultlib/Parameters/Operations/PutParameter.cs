using System.Collections.Immutable;
using System.Text;
using System.Text.RegularExpressions;
using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>
/// SSM <c>PutParameter</c>: Creates a parameter, or with <c>Overwrite</c> adds a version (at most 100 kept; the oldest
/// goes unless it has a label). A SecureString is encrypted through KMS as the caller before anything is stored.
/// </summary>
internal sealed partial class PutParameter() : SsmOperation<PutParameterRequest, NameResource, PutParameterResponse>("PutParameter", readOnly: false)
{
    public const int StandardValueBytes = 4096;
    public const int AdvancedValueBytes = 8192;
    public const int MaxStandardParameters = 10_000;
    public const int MaxAdvancedParameters = 100_000;

    public static PutParameter Instance { get; } = new();

    public override RequestFacts Facts(PutParameterRequest r) => new() { RequestTags = SsmValidate.RequestTags(r.Tags) };

    public override void Validate(PutParameterRequest r)
    {
        ParameterNames.Validate(r.Name);
        Internal.Validate.Length(nameof(r.Value), r.Value, 1, AdvancedValueBytes);
        Internal.Validate.Length(nameof(r.Description), r.Description, 0, 1024, required: false);
        Internal.Validate.Length(nameof(r.AllowedPattern), r.AllowedPattern, 0, 1024, required: false);
        Internal.Validate.Length(nameof(r.KeyId), r.KeyId, 1, 256, required: false);
        Internal.Validate.Defined(nameof(r.Type), r.Type);
        Internal.Validate.Defined(nameof(r.Tier), r.Tier);
        SsmValidate.Tags(r.Tags);
        if (r.Tags is { Count: > 0 } && r.Overwrite == true)
        {
            throw new ValidationException(nameof(r.Tags), "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, don't set Overwrite; to update tags of an existing parameter, use AddTagsToResource or RemoveTagsFromResource.");
        }

        if (r.KeyId is not null && r.Type is not null and not ParameterType.SecureString)
        {
            throw new ValidationException(nameof(r.KeyId), "KeyId is only for SecureString parameters.");
        }

        if (r.DataType is not (null or "text" or "aws:ec2:image"))
        {
            throw new ValidationException(nameof(r.DataType), $"The data type {r.DataType} is not supported; use text or aws:ec2:image.");
        }

        Internal.Validate.Length(nameof(r.Policies), r.Policies, 1, 4096, required: false);
    }

    public override ValueTask<NameResource> ResolveAsync(ParameterTable table, PutParameterRequest r, RequestContext context, CancellationToken cancellationToken) =>
        new(new NameResource(table.ArnOf(r.Name), r.Name));

    public override async ValueTask<PutParameterResponse> ExecuteAsync(ParameterTable table, PutParameterRequest r, NameResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        ParameterRecord? existing = await table.FindAsync(r.Name, cancellationToken).ConfigureAwait(false);
        RequireOverwrite(existing, r);
        ParameterVersionRecord? previous = existing?.Latest;
        ParameterType type = r.Type ?? previous?.Type ?? throw new ValidationException(nameof(r.Type), "A new parameter needs a Type: String, StringList or SecureString.");
        if (previous is not null && previous.Type != type)
        {
            throw new HierarchyTypeMismatchException($"The parameter {existing!.Name} is a {previous.Type}; its type cannot change to {type}.");
        }

        int valueBytes = Encoding.UTF8.GetByteCount(r.Value);
        ParameterTier tier = Tier(r.Tier, previous?.Tier, valueBytes, r.Policies is not null);
        if (valueBytes > (tier == ParameterTier.Advanced ? AdvancedValueBytes : StandardValueBytes))
        {
            throw new ValidationException(nameof(r.Value), tier == ParameterTier.Advanced
                ? $"Advanced tier parameters support values of at most {AdvancedValueBytes} bytes."
                : $"Standard tier parameters support values of at most {StandardValueBytes} bytes; use the Advanced tier for larger values.");
        }

        string? allowedPattern = r.AllowedPattern ?? previous?.AllowedPattern;
        RequireMatch(allowedPattern, r.Value);
        string dataType = r.DataType ?? previous?.DataType ?? "text";
        if (dataType == "aws:ec2:image" && !AmiId().IsMatch(r.Value))
        {
            throw new ValidationException(nameof(r.Value), "A parameter of data type aws:ec2:image holds an AMI id such as ami-12345678 or ami-1234567890abcdef0.");
        }

        // Policies belong to the version put with them; an overwrite without Policies keeps the previous ones
        // (a NoChangeNotification counting again from this version).
        string? policies = r.Policies ?? previous?.Policies;
        DateTimeOffset written = table.Now;
        ImmutableArray<PolicyState> policyStates = policies is null ? [] : ParameterPolicies.Parse(policies, written, previous?.PolicyStates ?? []);
        string? keyId = type == ParameterType.SecureString ? r.KeyId ?? previous?.KeyId ?? SsmCrypto.DefaultKeyId : null;
        (byte[] Ciphertext, bool Envelope, string KeyArn)? secure = type == ParameterType.SecureString
            ? await SsmCrypto.EncryptAsync(table, context, resource.Arn, keyId == SsmCrypto.DefaultKeyId ? null : keyId, r.Value, cancellationToken).ConfigureAwait(false)
            : null;

        ParameterRecord? stored = await table.ChangeAsync(r.Name, current =>
        {
            RequireOverwrite(current, r);
            RequireQuota(table, current, tier);
            var version = new ParameterVersionRecord
            {
                Version = (current?.Latest.Version ?? 0) + 1,
                Type = type,
                PlainValue = secure is null ? r.Value : null,
                Ciphertext = secure?.Ciphertext,
                Envelope = secure?.Envelope ?? false,
                KeyId = keyId,
                KeyArn = secure?.KeyArn,
                LastModifiedDate = written,
                LastModifiedUser = context.Caller.Principal,
                Description = r.Description ?? current?.Latest.Description,
                AllowedPattern = allowedPattern,
                Tier = tier,
                Policies = policies,
                PolicyStates = policyStates,
                DataType = dataType,
                Labels = [],
            };
            return current is null
                ? new ParameterRecord { Name = r.Name, Arn = resource.Arn, Tags = SsmValidate.TagSet(r.Tags), Versions = [version] }
                : current with { Versions = AddVersion(current, version) };
        }, cancellationToken).ConfigureAwait(false);
        return new PutParameterResponse { Version = stored!.Latest.Version, Tier = tier };
    }

    private static void RequireOverwrite(ParameterRecord? existing, PutParameterRequest r)
    {
        if (existing is not null && r.Overwrite != true)
        {
            throw new ParameterAlreadyExistsException($"The parameter {existing.Name} already exists. To overwrite it, set Overwrite.");
        }
    }

    /// <summary>The tier of the new version: an Advanced parameter stays Advanced; Intelligent-Tiering is Advanced only when the value needs it.</summary>
    private static ParameterTier Tier(ParameterTier? requested, ParameterTier? previous, int valueBytes, bool policies)
    {
        ParameterTier tier = requested switch
        {
            ParameterTier.IntelligentTiering => valueBytes > StandardValueBytes || policies || previous == ParameterTier.Advanced ? ParameterTier.Advanced : ParameterTier.Standard,
            { } given => given,
            null => previous ?? ParameterTier.Standard,
        };
        if (previous == ParameterTier.Advanced && tier == ParameterTier.Standard)
        {
            throw new ValidationException("Tier", "An Advanced tier parameter cannot be changed to the Standard tier.");
        }

        if (policies && tier == ParameterTier.Standard)
        {
            throw new ValidationException("Policies", "Parameter policies need the Advanced tier (or Intelligent-Tiering).");
        }

        return tier;
    }

    private static void RequireMatch(string? allowedPattern, string value)
    {
        if (allowedPattern is null)
        {
            return;
        }

        Regex pattern;
        try
        {
            pattern = new Regex(allowedPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            throw new InvalidAllowedPatternException($"The AllowedPattern is not a valid regular expression.");
        }

        bool matches;
        try
        {
            matches = pattern.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            matches = false;
        }

        if (!matches)
        {
            throw new ParameterPatternMismatchException($"The value does not match the parameter's AllowedPattern {allowedPattern}.");
        }
    }

    private static void RequireQuota(ParameterTable table, ParameterRecord? current, ParameterTier tier)
    {
        bool counted = current is not null && current.Latest.Tier == tier;
        int limit = tier == ParameterTier.Advanced ? MaxAdvancedParameters : MaxStandardParameters;
        if (!counted && table.CountInTier(tier) >= limit)
        {
            throw new ParameterLimitExceededException($"This account and region already have {limit} {tier} tier parameters.");
        }
    }

    /// <summary>The versions with one more; at 100 the oldest goes, unless it has a label.</summary>
    private static ImmutableArray<ParameterVersionRecord> AddVersion(ParameterRecord current, ParameterVersionRecord version)
    {
        if (current.Versions.Length < ParameterRecord.MaxVersions)
        {
            return current.Versions.Add(version);
        }

        ParameterVersionRecord oldest = current.Versions[0];
        if (!oldest.Labels.IsEmpty)
        {
            throw new ParameterMaxVersionLimitExceededException($"The parameter {current.Name} has {ParameterRecord.MaxVersions} versions and the oldest (version {oldest.Version}) has labels; remove them (UnlabelParameterVersion) to add a version.");
        }

        return current.Versions.RemoveAt(0).Add(version);
    }

    [GeneratedRegex("^ami-([0-9a-f]{8}|[0-9a-f]{17})\\z", RegexOptions.CultureInvariant)]
    private static partial Regex AmiId();
}
