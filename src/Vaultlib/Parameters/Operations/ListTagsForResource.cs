using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>ListTagsForResource</c>: A parameter's tags, in key order.</summary>
internal sealed class ListTagsForResource() : TagOperation<ListTagsForResourceRequest, ListTagsForResourceResponse>("ListTagsForResource", readOnly: true)
{
    public static ListTagsForResource Instance { get; } = new();

    protected override (string ResourceType, string ResourceId) Target(ListTagsForResourceRequest request) => (request.ResourceType, request.ResourceId);

    protected override ListTagsForResourceResponse Execute(ParameterTable table, ListTagsForResourceRequest r, ParameterRecord record, RequestContext context) =>
        new() { TagList = [.. record.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })] };
}
