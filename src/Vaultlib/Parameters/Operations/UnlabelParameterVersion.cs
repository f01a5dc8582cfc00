using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>UnlabelParameterVersion</c>: Removes labels from a version; the labels it did not have come back in <c>InvalidLabels</c>.</summary>
internal sealed class UnlabelParameterVersion() : ParameterOperation<UnlabelParameterVersionRequest, UnlabelParameterVersionResponse>("UnlabelParameterVersion", readOnly: false)
{
    public static UnlabelParameterVersion Instance { get; } = new();

    protected override string NameOf(UnlabelParameterVersionRequest request) => request.Name;

    public override void Validate(UnlabelParameterVersionRequest r)
    {
        ParameterNames.Validate(r.Name);
        SsmValidate.Labels(r.Labels);
        if (r.ParameterVersion < 1)
        {
            throw new ValidationException(nameof(r.ParameterVersion), "ParameterVersion must be at least 1.");
        }
    }

    public override async ValueTask<UnlabelParameterVersionResponse> ExecuteAsync(ParameterTable table, UnlabelParameterVersionRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken)
    {
        string[] removed = [];
        await table.ChangeAsync(r.Name, current =>
        {
            ParameterRecord parameter = current ?? throw SsmErrors.NotFound(r.Name);
            ParameterVersionRecord version = parameter.FindVersion(r.ParameterVersion)
                ?? throw new ParameterVersionNotFoundException($"Version {r.ParameterVersion} of the parameter {parameter.Name} does not exist.");
            removed = [.. r.Labels.Distinct(StringComparer.Ordinal).Where(version.Labels.Contains)];
            return removed.Length == 0 ? parameter : parameter with
            {
                Versions = [.. parameter.Versions.Select(v => v.Version == version.Version ? v with { Labels = [.. v.Labels.Except(removed, StringComparer.Ordinal)] } : v)],
            };
        }, cancellationToken).ConfigureAwait(false);
        return new UnlabelParameterVersionResponse { RemovedLabels = removed, InvalidLabels = [.. r.Labels.Distinct(StringComparer.Ordinal).Except(removed, StringComparer.Ordinal)] };
    }
}
