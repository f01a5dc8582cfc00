using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>BatchGetSecretValue</c>: The AWSCURRENT values of up to 20 secrets named in
/// <c>SecretIdList</c>, or of the secrets <c>Filters</c> match, a page at a time. The caller needs
/// <c>secretsmanager:BatchGetSecretValue</c>, and <c>secretsmanager:GetSecretValue</c> on each secret; a secret that
/// cannot be read (missing, denied, scheduled for deletion, undecryptable) is reported in <c>Errors</c> with AWS's
/// error code instead of failing the call.
/// </summary>
internal sealed class BatchGetSecretValue() : SmOperation<BatchGetSecretValueRequest, AccountResource, BatchGetSecretValueResponse>("BatchGetSecretValue", readOnly: true)
{
    public static BatchGetSecretValue Instance { get; } = new();

    public override void Validate(BatchGetSecretValueRequest r)
    {
        if ((r.SecretIdList is null) == (r.Filters is null))
        {
            throw new InvalidParameterException("SecretIdList", "Specify either SecretIdList or Filters, not both.");
        }

        if (r.SecretIdList is { } ids)
        {
            if (ids.Count is < 1 or > 20)
            {
                throw new ValidationException("SecretIdList", "SecretIdList has 1-20 secrets.");
            }

            if (r.MaxResults is not null)
            {
                throw new InvalidParameterException("MaxResults", "MaxResults goes with Filters, not with SecretIdList.");
            }

            foreach (string id in ids)
            {
                SecretNames.ValidateId(id, "SecretIdList.member");
            }
        }

        Internal.Validate.Range("MaxResults", r.MaxResults, 1, 20);
        SecretFilters.Validate(r.Filters);
    }

    public override ValueTask<AccountResource> ResolveAsync(SecretTable table, BatchGetSecretValueRequest r, RequestContext context, CancellationToken cancellationToken) => new(table.Account);

    public override async ValueTask<BatchGetSecretValueResponse> ExecuteAsync(SecretTable table, BatchGetSecretValueRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        var values = new List<SecretValueEntry>();
        var errors = new List<APIErrorType>();
        string? next = null;
        IEnumerable<(string Id, SecretRecord? Secret)> targets;
        if (r.SecretIdList is { } ids)
        {
            var found = new List<(string, SecretRecord?)>();
            foreach (string id in ids.Distinct(StringComparer.Ordinal))
            {
                found.Add((id, await table.FindAsync(id, cancellationToken).ConfigureAwait(false)));
            }

            targets = found;
        }
        else
        {
            IEnumerable<SecretRecord> matching = SecretFilters.Ordered(table.All.Where(s => !s.IsDeleted && SecretFilters.Matches(s, r.Filters)), "asc");
            (IReadOnlyList<SecretRecord> page, next) = Page(matching, s => SecretFilters.OrderKey(s, "asc"), r.NextToken, r.MaxResults ?? 20);
            targets = page.Select(s => (s.Name, (SecretRecord?)s));
        }

        foreach ((string id, SecretRecord? secret) in targets)
        {
            try
            {
                SecretRecord readable = secret ?? throw SmErrors.NotFound();
                table.Authorizer.Authorize(GetSecretValue.Instance.Operation, readable, RequestFacts.None, context);
                if (readable.IsDeleted)
                {
                    throw SmErrors.Deleted();
                }

                SecretVersionRecord version = GetSecretValue.Select(readable, versionId: null, versionStage: null);
                (string? text, ReadOnlyMemory<byte>? binary) = await SecretValues.ReadAsync(table, context, readable, version, cancellationToken).ConfigureAwait(false);
                values.Add(new SecretValueEntry { ARN = readable.Arn, Name = readable.Name, VersionId = version.VersionId, SecretString = text, SecretBinary = binary, VersionStages = version.Stages, CreatedDate = version.CreatedDate });
            }
            catch (SecretsManagerException error)
            {
                errors.Add(new APIErrorType { SecretId = id, ErrorCode = error.ErrorCode, Message = error.Message });
            }
        }

        return new BatchGetSecretValueResponse { SecretValues = values, Errors = errors, NextToken = next };
    }
}
