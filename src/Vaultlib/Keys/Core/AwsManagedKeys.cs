using System.Collections.Immutable;
using Vaultlib.Internal;

namespace Vaultlib.Keys;

/// <summary>AWS managed keys (<c>alias/aws/&lt;service&gt;</c>), which the other Vaultlib services use by default.</summary>
internal sealed partial class KeyTable
{
    /// <summary>
    /// The AWS managed key <c>alias/aws/&lt;service&gt;</c>, created on first use as AWS does when a
    /// service first needs it: symmetric, enabled, rotated every 365 days, refusing
    /// Disable/ScheduleKeyDeletion/rotation changes. Returns its key ARN.
    /// </summary>
    public ValueTask<string> GetOrCreateAwsManagedKeyAsync(string service, CancellationToken cancellationToken)
    {
        string aliasName = $"alias/aws/{service}";
        return ExclusiveAsync(
                async () =>
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
                    await CommitLockedAsync([KeyWrite(created), AliasWrite(new AliasRecord(aliasName, created.KeyId, Now, Now))], cancellationToken).ConfigureAwait(false);
                    Log.AwsManagedKeyCreated(_logger, created.Arn, service);
                    return created.Arn;
                },
                cancellationToken);
    }

    private string AwsManagedKeyPolicy(string service) =>
        """{"Version":"2012-10-17","Id":"auto-SERVICE","Statement":[{"Sid":"Allow access through SERVICE for all principals in the account that are authorized to use SERVICE","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"ACCOUNT","kms:ViaService":"SERVICE.REGION.amazonaws.com"}}},{"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{"AWS":"ROOTARN"},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}]}"""
        .Replace("SERVICE", service, StringComparison.Ordinal)
        .Replace("ACCOUNT", Options.AccountId, StringComparison.Ordinal)
        .Replace("REGION", Options.Region, StringComparison.Ordinal)
        .Replace("ROOTARN", Ids.AccountArn, StringComparison.Ordinal);
}
