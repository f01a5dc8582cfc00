using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>DeleteParameter</c>: Deletes a parameter with every version, its labels and tags.</summary>
internal sealed class DeleteParameter() : ParameterOperation<DeleteParameterRequest, DeleteParameterResponse>("DeleteParameter", readOnly: false)
{
    public static DeleteParameter Instance { get; } = new();

    protected override string NameOf(DeleteParameterRequest request) => request.Name;

    public override void Validate(DeleteParameterRequest r) => ParameterNames.Validate(r.Name);

    public override async ValueTask<DeleteParameterResponse> ExecuteAsync(ParameterTable table, DeleteParameterRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(r.Name, current => current is null ? throw SsmErrors.NotFound(r.Name) : null, cancellationToken).ConfigureAwait(false);
        return new DeleteParameterResponse();
    }
}
