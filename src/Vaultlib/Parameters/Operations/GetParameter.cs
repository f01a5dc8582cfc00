using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>SSM <c>GetParameter</c>: One parameter (its latest version, or the one a <c>:version</c> or <c>:label</c> selector names); a SecureString is decrypted only when asked, through KMS as the caller.</summary>
internal sealed class GetParameter() : ParameterOperation<GetParameterRequest, GetParameterResponse>("GetParameter", readOnly: true)
{
    public static GetParameter Instance { get; } = new();

    protected override string NameOf(GetParameterRequest request) => request.Name;

    public override async ValueTask<GetParameterResponse> ExecuteAsync(ParameterTable table, GetParameterRequest r, ParameterRecord record, RequestContext context, CancellationToken cancellationToken) =>
        new() { Parameter = await Read(table, record, r.Name, r.WithDecryption == true, context, cancellationToken).ConfigureAwait(false) };

    /// <summary>The parameter as GetParameter(s) return it, for the name as requested (with its selector, if any).</summary>
    public static async ValueTask<Parameter> Read(ParameterTable table, ParameterRecord record, string requested, bool withDecryption, RequestContext context, CancellationToken cancellationToken)
    {
        string? selector = ParameterNames.SplitSelector(requested).Selector;
        ParameterVersionRecord version = SsmValidate.Select(record, selector, requested);
        return selector is null && !(withDecryption && version.Type == ParameterType.SecureString)
            ? Stored(record, version)
            : ToParameter(record, version, await ValueAsync(table, record, version, withDecryption, context, cancellationToken).ConfigureAwait(false), selector);
    }

    /// <summary>A version as stored (a SecureString's value as its ciphertext in base64), with no selector: the latest is made once per change.</summary>
    public static Parameter Stored(ParameterRecord record, ParameterVersionRecord version) =>
        record.Stored(version, static (r, v) => ToParameter(r, v, v.Type == ParameterType.SecureString ? Convert.ToBase64String(v.Ciphertext!) : v.PlainValue!, selector: null));

    /// <summary>A version as the <c>Parameter</c> shape AWS returns.</summary>
    public static Parameter ToParameter(ParameterRecord record, ParameterVersionRecord version, string value, string? selector) => new()
    {
        Name = record.Name,
        Type = version.Type,
        Value = value,
        Version = version.Version,
        Selector = selector is null ? null : ":" + selector,
        LastModifiedDate = version.LastModifiedDate,
        ARN = record.Arn,
        DataType = version.DataType,
    };
}
