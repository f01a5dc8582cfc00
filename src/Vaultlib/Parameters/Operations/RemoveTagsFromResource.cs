using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>RemoveTagsFromResource</c>: Removes tags of a parameter by key.</summary>
internal sealed class RemoveTagsFromResource() : TagOperation<RemoveTagsFromResourceRequest, RemoveTagsFromResourceResponse>("RemoveTagsFromResource", readOnly: false)
{
    public static RemoveTagsFromResource Instance { get; } = new();

    protected override (string ResourceType, string ResourceId) Target(RemoveTagsFromResourceRequest request) => (request.ResourceType, request.ResourceId);

    public override RequestFacts Facts(RemoveTagsFromResourceRequest r) => new() { TagKeys = r.TagKeys };

    public override void Validate(RemoveTagsFromResourceRequest r)
    {
        base.Validate(r);
        if (r.TagKeys is null || r.TagKeys.Count == 0)
        {
            throw new ValidationException(nameof(r.TagKeys), "TagKeys must list at least one key.");
        }
    }

    public override async ValueTask<RemoveTagsFromResourceResponse> ExecuteAsync(ParameterTable table, RemoveTagsFromResourceRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(record.Name, current =>
            current is null ? throw new InvalidResourceIdException($"The parameter {r.ResourceId} does not exist.") : current with { Tags = current.Tags.RemoveRange(r.TagKeys) },
            cancellationToken).ConfigureAwait(false);
        return new RemoveTagsFromResourceResponse();
    }
}
