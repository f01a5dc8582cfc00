using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>DeleteParameters</c>: Deletes up to 10 parameters; the names that find none come back in <c>InvalidParameters</c>. The caller needs the action on every name.</summary>
internal sealed class DeleteParameters() : SsmOperation<DeleteParametersRequest, ParameterSetResource, DeleteParametersResponse>("DeleteParameters", readOnly: false)
{
    public static DeleteParameters Instance { get; } = new();

    public override void Validate(DeleteParametersRequest r)
    {
        SsmValidate.Names(r.Names);
        foreach (string name in r.Names)
        {
            ParameterNames.Validate(name, "Names");
        }
    }

    public override ValueTask<ParameterSetResource> ResolveAsync(ParameterTable table, DeleteParametersRequest r, RequestContext context, CancellationToken cancellationToken) =>
        new(GetParameters.Members(table, r.Names));

    public override async ValueTask<DeleteParametersResponse> ExecuteAsync(ParameterTable table, DeleteParametersRequest r, ParameterSetResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        var invalid = new List<string>();
        foreach (string name in r.Names.Distinct(StringComparer.Ordinal))
        {
            bool existed = false;
            await table.ChangeAsync(name, current =>
            {
                existed = current is not null;
                return null;
            }, cancellationToken).ConfigureAwait(false);
            (existed ? deleted : invalid).Add(name);
        }

        return new DeleteParametersResponse { DeletedParameters = deleted, InvalidParameters = invalid };
    }
}
