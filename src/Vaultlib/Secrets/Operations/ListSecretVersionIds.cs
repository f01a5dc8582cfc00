using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>Secrets Manager <c>ListSecretVersionIds</c>: The secret's versions, newest first; deprecated ones (no label) only when asked.</summary>
internal sealed class ListSecretVersionIds() : SecretOperation<ListSecretVersionIdsRequest, ListSecretVersionIdsResponse>("ListSecretVersionIds", readOnly: true, allowsDeleted: true)
{
    public static ListSecretVersionIds Instance { get; } = new();

    protected override string SecretIdOf(ListSecretVersionIdsRequest request) => request.SecretId;

    public override void Validate(ListSecretVersionIdsRequest r)
    {
        base.Validate(r);
        Internal.Validate.Range("MaxResults", r.MaxResults, 1, 100);
    }

    protected override ListSecretVersionIdsResponse Execute(SecretTable table, ListSecretVersionIdsRequest r, SecretRecord s, RequestContext context)
    {
        // Newest first: the key is the version's position from the end, so a token stays valid as versions are added.
        IEnumerable<(SecretVersionRecord Version, string Key)> versions = s.Versions
            .Select((v, i) => (v, Key: (long.MaxValue - i).ToString("D19", System.Globalization.CultureInfo.InvariantCulture)))
            .Where(x => r.IncludeDeprecated == true || x.v.Stages.Count > 0)
            .Reverse();
        (IReadOnlyList<(SecretVersionRecord Version, string Key)> page, string? next) = Page(versions, x => x.Key, r.NextToken, r.MaxResults ?? 100);
        return new ListSecretVersionIdsResponse
        {
            ARN = s.Arn,
            Name = s.Name,
            NextToken = next,
            Versions = [.. page.Select(x => new SecretVersionsListEntry
            {
                VersionId = x.Version.VersionId,
                VersionStages = x.Version.Stages,
                CreatedDate = x.Version.CreatedDate,
                LastAccessedDate = x.Version.LastAccessedDate,
                KmsKeyIds = x.Version.KeyArn is null ? [] : [x.Version.KeyArn],
            })],
        };
    }
}
