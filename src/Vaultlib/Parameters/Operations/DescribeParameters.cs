using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>DescribeParameters</c>: The metadata (never the values) of the parameters the filters select, in name order, at most 50 a page.</summary>
internal sealed class DescribeParameters() : SsmOperation<DescribeParametersRequest, AccountResource, DescribeParametersResponse>("DescribeParameters", readOnly: true)
{
    public static DescribeParameters Instance { get; } = new();

    public override void Validate(DescribeParametersRequest r)
    {
        SsmValidate.MaxResults(r.MaxResults, 50, 50);
        if (r.Filters is { Count: > 0 } && r.ParameterFilters is { Count: > 0 })
        {
            throw new ValidationException(nameof(r.Filters), "You can use either Filters or ParameterFilters in a single request, not both.");
        }

        foreach (ParametersFilter filter in r.Filters ?? [])
        {
            if (filter.Key is not ("Name" or "Type" or "KeyId"))
            {
                throw new InvalidFilterKeyException($"The filter key {filter.Key} is not valid; Filters take Name, Type or KeyId.");
            }
        }

        ParameterFilters.Validate(r.ParameterFilters, ParameterFilters.DescribeKeys, tags: true);
    }

    public override ValueTask<AccountResource> ResolveAsync(ParameterTable table, DescribeParametersRequest r, RequestContext context, CancellationToken cancellationToken) => new(table.Account);

    public override async ValueTask<DescribeParametersResponse> ExecuteAsync(ParameterTable table, DescribeParametersRequest r, AccountResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<ParameterStringFilter> filters = r.ParameterFilters
            ?? [.. (r.Filters ?? []).Select(f => new ParameterStringFilter { Key = f.Key, Option = f.Key == "Name" ? "BeginsWith" : "Equals", Values = f.Values })];
        (List<ParameterMetadata> page, string? next) = await PageAsync(
            table.WithPrefix(string.Empty, After(r.NextToken)),
            record => new ValueTask<ParameterMetadata?>(ParameterFilters.Select(record, filters) is null ? null : Metadata(record)),
            SsmValidate.MaxResults(r.MaxResults, 50, 50)).ConfigureAwait(false);
        return new DescribeParametersResponse { Parameters = page, NextToken = next };
    }

    private static ParameterMetadata Metadata(ParameterRecord record)
    {
        ParameterVersionRecord v = record.Latest;
        return new ParameterMetadata
        {
            Name = record.Name,
            ARN = record.Arn,
            Type = v.Type,
            KeyId = v.KeyId,
            LastModifiedDate = v.LastModifiedDate,
            LastModifiedUser = v.LastModifiedUser,
            Description = v.Description,
            AllowedPattern = v.AllowedPattern,
            Version = v.Version,
            Tier = v.Tier,
            Policies = [.. v.PolicyStates.Select(p => p.ToInline())],
            DataType = v.DataType,
        };
    }
}
