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
        string path = ParameterNames.ValidatePath(r.Path);
        return new(new PathResource(path == "/" ? table.ArnOf(string.Empty) : table.ArnOf(path), path));
    }

    public override async ValueTask<GetParametersByPathResponse> ExecuteAsync(ParameterTable table, GetParametersByPathRequest r, PathResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        string prefix = resource.Path == "/" ? string.Empty : ParameterNames.Key(resource.Path) + "/";
        bool recursive = r.Recursive == true;
        (List<Parameter> page, string? next) = await PageAsync(
            table.WithPrefix(prefix, After(r.NextToken)).Where(record => ParameterNames.IsUnder(record.Name, resource.Path, recursive)),
            async record =>
            {
                if (ParameterFilters.Select(record, r.ParameterFilters) is not { } version)
                {
                    return null;
                }

                string requested = version == record.Latest ? record.Name : $"{record.Name}:{version.Version}";
                Parameter parameter = await GetParameter.Read(table, record, requested, r.WithDecryption == true, context, cancellationToken).ConfigureAwait(false);
                return parameter with { Selector = null };
            },
            SsmValidate.MaxResults(r.MaxResults, 10, 10)).ConfigureAwait(false);
        return new GetParametersByPathResponse { Parameters = page, NextToken = next };
    }
}
