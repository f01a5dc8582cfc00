using Vaultlib.Pipeline;

namespace Vaultlib.Parameters.Operations;

/// <summary>
/// SSM <c>GetParameter</c>: One parameter (its latest version, or the one a <c>:version</c> or <c>:label</c> selector
/// names); a SecureString is decrypted only when asked, through KMS as the caller. A name under
/// <c>/aws/reference/secretsmanager/</c> reads a Secrets Manager secret instead (<see cref="SecretReferences"/>).
/// </summary>
internal sealed class GetParameter() : SsmOperation<GetParameterRequest, IArnResource, GetParameterResponse>("GetParameter", readOnly: true)
{
    public static GetParameter Instance { get; } = new();

    public override void Validate(GetParameterRequest r)
    {
        if (SecretReferences.IsReference(r.Name))
        {
            SecretReferences.Parse(r.Name);
            SecretReferences.RequireDecryption(r.WithDecryption);
            return;
        }

        ParameterNames.Validate(ParameterNames.SplitSelector(r.Name).Name);
    }

    public override async ValueTask<IArnResource> ResolveAsync(ParameterTable table, GetParameterRequest r, RequestContext context, CancellationToken cancellationToken)
    {
        if (SecretReferences.IsReference(r.Name))
        {
            return new NameResource(table.ArnOf(SecretReferences.NameOf(r.Name)), SecretReferences.NameOf(r.Name));
        }

        string name = ParameterNames.SplitSelector(r.Name).Name;
        return await table.FindAsync(name, cancellationToken).ConfigureAwait(false) ?? throw SsmErrors.NotFound(name);
    }

    public override async ValueTask<GetParameterResponse> ExecuteAsync(ParameterTable table, GetParameterRequest r, IArnResource resource, RequestContext context, CancellationToken cancellationToken) =>
        new()
        {
            Parameter = resource is ParameterRecord record
                ? await Read(table, record, r.Name, r.WithDecryption == true, context, cancellationToken).ConfigureAwait(false)
                : await SecretReferences.ReadAsync(table, r.Name, context, cancellationToken).ConfigureAwait(false),
        };

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
