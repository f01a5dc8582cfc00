using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>ListSecrets</c>: The secrets (not those scheduled for deletion unless asked), matching every
/// filter, by creation date (<c>desc</c> by default), at most 100 a page.
/// </summary>
internal sealed class ListSecrets() : SmOperation<ListSecretsRequest, AccountResource, ListSecretsResponse>("ListSecrets", readOnly: true)
{
    public static ListSecrets Instance { get; } = new();

    public override void Validate(ListSecretsRequest r)
    {
        Internal.Validate.Range("MaxResults", r.MaxResults, 1, 100);
        SecretFilters.Validate(r.Filters);
        if (r.SortOrder is not null and not "asc" and not "desc")
        {
            throw new ValidationException("SortOrder", "SortOrder must be asc or desc.");
        }
    }

    public override ValueTask<AccountResource> ResolveAsync(SecretTable table, ListSecretsRequest r, RequestContext context, CancellationToken cancellationToken) => new(table.Account);

    protected override ListSecretsResponse Execute(SecretTable table, ListSecretsRequest r, AccountResource resource, RequestContext context)
    {
        IEnumerable<SecretRecord> matching = table.All.Where(s => (r.IncludePlannedDeletion == true || !s.IsDeleted) && SecretFilters.Matches(s, r.Filters));
        (IReadOnlyList<SecretRecord> page, string? next) = Page(SecretFilters.Ordered(matching, r.SortOrder), s => SecretFilters.OrderKey(s, r.SortOrder), r.NextToken, r.MaxResults ?? 100);
        return new ListSecretsResponse { SecretList = [.. page.Select(Entry)], NextToken = next };
    }

    private static SecretListEntry Entry(SecretRecord s) => new()
    {
        ARN = s.Arn,
        Name = s.Name,
        Description = s.Description,
        KmsKeyId = s.KmsKeyId,
        RotationEnabled = s.RotationEnabled,
        RotationLambdaARN = s.RotationLambdaARN,
        RotationRules = s.RotationRules,
        LastRotatedDate = s.LastRotatedDate,
        NextRotationDate = s.NextRotationDate,
        LastChangedDate = s.LastChangedDate,
        LastAccessedDate = s.LastAccessedDate,
        DeletedDate = s.DeletedDate,
        Tags = s.Tags.Count == 0 ? null : s.Tags,
        SecretVersionsToStages = DescribeSecret.StagesOf(s),
        CreatedDate = s.CreatedDate,
        PrimaryRegion = s.PrimaryRegion,
    };
}
