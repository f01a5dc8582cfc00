using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>AddTagsToResource</c>: Adds or replaces tags of a parameter (at most 50 in all).</summary>
internal sealed class AddTagsToResource() : TagOperation<AddTagsToResourceRequest, AddTagsToResourceResponse>("AddTagsToResource", readOnly: false)
{
    public static AddTagsToResource Instance { get; } = new();

    protected override (string ResourceType, string ResourceId) Target(AddTagsToResourceRequest request) => (request.ResourceType, request.ResourceId);

    public override RequestFacts Facts(AddTagsToResourceRequest r) => new() { RequestTags = SsmValidate.RequestTags(r.Tags) };

    public override void Validate(AddTagsToResourceRequest r)
    {
        base.Validate(r);
        if (r.Tags is null || r.Tags.Count == 0)
        {
            throw new ValidationException(nameof(r.Tags), "Tags must list 1-50 tags.");
        }

        SsmValidate.Tags(r.Tags);
    }

    public override async ValueTask<AddTagsToResourceResponse> ExecuteAsync(ParameterTable table, AddTagsToResourceRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        await table.ChangeAsync(record.Name, current =>
        {
            ParameterRecord parameter = current ?? throw new InvalidResourceIdException($"The parameter {r.ResourceId} does not exist.");
            var tags = parameter.Tags.SetItems(SsmValidate.TagSet(r.Tags));
            return tags.Count > SsmValidate.MaxTags ? throw new TooManyTagsErrorException($"A parameter can have at most {SsmValidate.MaxTags} tags.") : parameter with { Tags = tags };
        }, cancellationToken).ConfigureAwait(false);
        return new AddTagsToResourceResponse();
    }
}
