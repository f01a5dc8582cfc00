using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>
/// SSM <c>GetParametersByPath</c>: The parameters directly under a path (or, with <c>Recursive</c>, anywhere under it), in
/// name order, at most 10 a page, read from the table's sorted index without scanning the store.
/// </summary>
internal sealed class GetParametersByPath() : SsmOperation<GetParametersByPathRequest, PathResource, GetParametersByPathResponse>("GetParametersByPath", readOnly: true)
{
    public static GetParametersByPath Instance { get; } = new();

    public override void Validate(GetParametersByPathRequest r)
    {
        ParameterNames.ValidatePath(r.Path);
        SsmValidate.MaxResults(r.MaxResults, 10, 10);
        ParameterFilters.Validate(r.ParameterFilters, ParameterFilters.ByPathKeys);
    }

    public override ValueTask<PathResource> ResolveAsync(ParameterTable table, GetParametersByPathRequest r, RequestContext context, CancellationToken cancellationToken)
    {
        string path = ParameterNames.Trim(r.Path); // validated by Validate
        return new(new PathResource(path == "/" ? table.ArnOf(string.Empty) : table.ArnOf(path), path));
    }

    public override async ValueTask<GetParametersByPathResponse> ExecuteAsync(ParameterTable table, GetParametersByPathRequest r, PathResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        string prefix = resource.Path == "/" ? string.Empty : ParameterNames.Key(resource.Path) + "/";
        bool recursive = r.Recursive == true;
        (List<Parameter> page, string? next) = await PageAsync(
            recursive ? table.WithPrefix(prefix, After(r.NextToken)) : table.ChildrenOf(prefix, After(r.NextToken)),
            record =>
            {
                if (ParameterFilters.Select(record, r.ParameterFilters) is not { } version)
                {
                    return new((Parameter?)null);
                }

                ValueTask<string> value = ValueAsync(table, record, version, r.WithDecryption == true, context, cancellationToken);
                return value.IsCompletedSuccessfully ? new(GetParameter.ToParameter(record, version, value.Result, selector: null)) : Decrypted(record, version, value);
            },
            SsmValidate.MaxResults(r.MaxResults, 10, 10)).ConfigureAwait(false);
        return new GetParametersByPathResponse { Parameters = page, NextToken = next };

        static async ValueTask<Parameter?> Decrypted(ParameterRecord record, ParameterVersionRecord version, ValueTask<string> value) =>
            GetParameter.ToParameter(record, version, await value.ConfigureAwait(false), selector: null);
    }
}
