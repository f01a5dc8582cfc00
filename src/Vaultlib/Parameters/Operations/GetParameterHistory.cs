using System.Globalization;
using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>GetParameterHistory</c>: Every kept version of a parameter, oldest first, at most 50 a page.</summary>
internal sealed class GetParameterHistory() : ParameterOperation<GetParameterHistoryRequest, GetParameterHistoryResponse>("GetParameterHistory", readOnly: true)
{
    public static GetParameterHistory Instance { get; } = new();

    protected override string NameOf(GetParameterHistoryRequest request) => request.Name;

    public override void Validate(GetParameterHistoryRequest r)
    {
        ParameterNames.Validate(r.Name);
        SsmValidate.MaxResults(r.MaxResults, 50, 50);
    }

    public override async ValueTask<GetParameterHistoryResponse> ExecuteAsync(ParameterTable table, GetParameterHistoryRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        // Versions sort by their zero-padded number, so the page marker is the last version returned.
        (IReadOnlyList<ParameterVersionRecord> page, string? next) = Page(record.Versions, v => v.Version.ToString("D20", CultureInfo.InvariantCulture), r.NextToken, SsmValidate.MaxResults(r.MaxResults, 50, 50));
        var history = new List<ParameterHistory>(page.Count);
        foreach (ParameterVersionRecord v in page)
        {
            history.Add(new ParameterHistory
            {
                Name = record.Name,
                Type = v.Type,
                KeyId = v.KeyId,
                LastModifiedDate = v.LastModifiedDate,
                LastModifiedUser = v.LastModifiedUser,
                Description = v.Description,
                Value = await ValueAsync(table, record, v, r.WithDecryption == true, context, cancellationToken).ConfigureAwait(false),
                AllowedPattern = v.AllowedPattern,
                Version = v.Version,
                Labels = v.Labels,
                Tier = v.Tier,
                Policies = [.. v.PolicyStates.Select(p => p.ToInline())],
                DataType = v.DataType,
            });
        }

        return new GetParameterHistoryResponse { Parameters = history, NextToken = next };
    }
}
