using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>GetParameters</c>: Up to 10 parameters by name (with selectors); the names that find nothing come back in <c>InvalidParameters</c>. The caller needs the action on every name. Names under <c>/aws/reference/secretsmanager/</c> read Secrets Manager secrets (<see cref="SecretReferences"/>).</summary>
internal sealed class GetParameters() : SsmOperation<GetParametersRequest, ParameterSetResource, GetParametersResponse>("GetParameters", readOnly: true)
{
    public static GetParameters Instance { get; } = new();

    public override void Validate(GetParametersRequest r)
    {
        SsmValidate.Names(r.Names);
        foreach (string name in r.Names.Where(n => !SecretReferences.IsReference(n)))
        {
            ParameterNames.Validate(ParameterNames.SplitSelector(name).Name, "Names");
        }
    }

    public override ValueTask<ParameterSetResource> ResolveAsync(ParameterTable table, GetParametersRequest r, RequestContext context, CancellationToken cancellationToken) =>
        new(Members(table, r.Names));

    /// <summary>The ARNs (and tags of those that exist) of the names a request lists.</summary>
    public static ParameterSetResource Members(ParameterTable table, IReadOnlyList<string> names)
    {
        var members = names.Select(n => SecretReferences.IsReference(n) ? SecretReferences.NameOf(n) : ParameterNames.SplitSelector(n).Name).Distinct(StringComparer.Ordinal)
            .Select(n => (table.ArnOf(n), (IEnumerable<KeyValuePair<string, string>>?)table.Find(n)?.Tags)).ToList();
        return new ParameterSetResource(members[0].Item1, members);
    }

    public override async ValueTask<GetParametersResponse> ExecuteAsync(ParameterTable table, GetParametersRequest r, ParameterSetResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        var found = new List<Parameter>();
        var invalid = new List<string>();
        foreach (string requested in r.Names.Distinct(StringComparer.Ordinal))
        {
            if (SecretReferences.IsReference(requested))
            {
                // A malformed reference, one read without decryption, or one that finds nothing is listed as invalid;
                // a refusal by Secrets Manager fails the whole request, as in AWS.
                try
                {
                    SecretReferences.Parse(requested, "Names");
                    SecretReferences.RequireDecryption(r.WithDecryption);
                    found.Add(await SecretReferences.ReadAsync(table, requested, context, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception ex) when (ex is ParameterNotFoundException || (ex is ValidationException v && v.MemberName != "Name"))
                {
                    invalid.Add(requested);
                }

                continue;
            }

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
