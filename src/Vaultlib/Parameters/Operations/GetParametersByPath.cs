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
        ParameterFilters.Validate(r.ParameterFilters, ParameterFilters.ByPathKeys, tags: false);
    }

    public override ValueTask<PathResource> ResolveAsync(ParameterTable table, GetParametersByPathRequest r, RequestContext context, CancellationToken cancellationToken)
    {
        // Validated by Validate: "/", or "/a/b" with or without its trailing "/".
        ReadOnlySpan<char> key = r.Path.AsSpan(1).TrimEnd('/');
        return new(key.IsEmpty ? new PathResource(table.ArnOf(string.Empty), string.Empty) : new PathResource(table.ArnOf(key), string.Concat(key, "/")));
    }

    public override async ValueTask<GetParametersByPathResponse> ExecuteAsync(ParameterTable table, GetParametersByPathRequest r, PathResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        string prefix = resource.Prefix;
        bool recursive = r.Recursive == true;
        (List<Parameter> page, string? next) = await PageAsync(
            recursive ? table.WithPrefix(prefix, After(r.NextToken)) : table.ChildrenOf(prefix, After(r.NextToken)),
            record =>
            {
                if (ParameterFilters.Select(record, r.ParameterFilters) is not { } version)
                {
                    return new((Parameter?)null);
                }

                if (r.WithDecryption != true || version.Type != ParameterType.SecureString)
                {
                    return new(GetParameter.Stored(record, version));
                }

                return Decrypted(record, version, ValueAsync(table, record, version, withDecryption: true, context, cancellationToken));
            },
            SsmValidate.MaxResults(r.MaxResults, 10, 10)).ConfigureAwait(false);
        return new GetParametersByPathResponse { Parameters = page, NextToken = next };

        static async ValueTask<Parameter?> Decrypted(ParameterRecord record, ParameterVersionRecord version, ValueTask<string> value) =>
            GetParameter.ToParameter(record, version, await value.ConfigureAwait(false), selector: null);
    }
}
