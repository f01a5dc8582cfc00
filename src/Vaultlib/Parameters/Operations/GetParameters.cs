using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>GetParameters</c>: Up to 10 parameters by name (with selectors); the names that find nothing come back in <c>InvalidParameters</c>. The caller needs the action on every name.</summary>
internal sealed class GetParameters() : SsmOperation<GetParametersRequest, ParameterSetResource, GetParametersResponse>("GetParameters", readOnly: true)
{
    public static GetParameters Instance { get; } = new();

    public override void Validate(GetParametersRequest r)
    {
        SsmValidate.Names(r.Names);
        foreach (string name in r.Names)
        {
            ParameterNames.Validate(ParameterNames.SplitSelector(name).Name, "Names");
        }
    }

    public override ValueTask<ParameterSetResource> ResolveAsync(ParameterTable table, GetParametersRequest r, RequestContext context, CancellationToken cancellationToken) =>
        new(Members(table, r.Names));

    /// <summary>The ARNs (and tags of those that exist) of the names a request lists.</summary>
    public static ParameterSetResource Members(ParameterTable table, IReadOnlyList<string> names)
    {
        var members = names.Select(n => ParameterNames.SplitSelector(n).Name).Distinct(StringComparer.Ordinal)
            .Select(n => (table.ArnOf(n), (IEnumerable<KeyValuePair<string, string>>?)table.Find(n)?.Tags)).ToList();
        return new ParameterSetResource(members[0].Item1, members);
    }

    public override async ValueTask<GetParametersResponse> ExecuteAsync(ParameterTable table, GetParametersRequest r, ParameterSetResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        var found = new List<Parameter>();
        var invalid = new List<string>();
        foreach (string requested in r.Names.Distinct(StringComparer.Ordinal))
        {
            ParameterRecord? record = await table.FindAsync(ParameterNames.SplitSelector(requested).Name, cancellationToken).ConfigureAwait(false);
            try
            {
                if (record is null)
                {
                    invalid.Add(requested);
                    continue;
                }

                found.Add(await GetParameter.Read(table, record, requested, r.WithDecryption == true, context, cancellationToken).ConfigureAwait(false));
            }
            catch (ParameterVersionNotFoundException)
            {
                invalid.Add(requested);
            }
        }

        return new GetParametersResponse { Parameters = found, InvalidParameters = invalid };
    }
}
