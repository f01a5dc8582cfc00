using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>
/// SSM <c>LabelParameterVersion</c>: Attaches labels to a version (the latest by default); a label on another version moves.
/// Labels that break AWS's rules come back in <c>InvalidLabels</c> and are not applied; more than 10 on a version is
/// <c>ParameterVersionLabelLimitExceeded</c>.
/// </summary>
internal sealed class LabelParameterVersion() : ParameterOperation<LabelParameterVersionRequest, LabelParameterVersionResponse>("LabelParameterVersion", readOnly: false)
{
    public const int MaxLabelsPerVersion = 10;

    public static LabelParameterVersion Instance { get; } = new();

    protected override string NameOf(LabelParameterVersionRequest request) => request.Name;

    public override void Validate(LabelParameterVersionRequest r)
    {
        ParameterNames.Validate(r.Name);
        SsmValidate.Labels(r.Labels);
    }

    public override async ValueTask<LabelParameterVersionResponse> ExecuteAsync(ParameterTable table, LabelParameterVersionRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        string[] invalid = [.. r.Labels.Where(l => !ParameterNames.IsValidLabel(l))];
        string[] valid = [.. r.Labels.Where(ParameterNames.IsValidLabel).Distinct(StringComparer.Ordinal)];
        long target = 0;
        await table.ChangeAsync(r.Name, current =>
        {
            ParameterRecord parameter = current ?? throw SsmErrors.NotFound(r.Name);
            ParameterVersionRecord version = r.ParameterVersion is { } number
                ? parameter.FindVersion(number) ?? throw new ParameterVersionNotFoundException($"Version {number} of the parameter {parameter.Name} does not exist.")
                : parameter.Latest;
            target = version.Version;
            if (version.Labels.Union(valid).Count() > MaxLabelsPerVersion)
            {
                throw new ParameterVersionLabelLimitExceededException($"A parameter version can have at most {MaxLabelsPerVersion} labels.");
            }

            return valid.Length == 0 ? parameter : parameter with
            {
                Versions = [.. parameter.Versions.Select(v => v.Version == target
                    ? v with { Labels = [.. v.Labels.Union(valid, StringComparer.Ordinal)] }
                    : v.Labels.Any(valid.Contains) ? v with { Labels = [.. v.Labels.Except(valid, StringComparer.Ordinal)] } : v)],
            };
        }, cancellationToken).ConfigureAwait(false);
        return new LabelParameterVersionResponse { InvalidLabels = invalid, ParameterVersion = target };
    }
}
