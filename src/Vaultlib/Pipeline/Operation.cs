namespace Vaultlib.Pipeline;

/// <summary>One operation of one service, as IAM and CloudTrail name it.</summary>
/// <param name="Service">The IAM service prefix, e.g. <c>kms</c>.</param>
/// <param name="Name">The AWS operation name, e.g. <c>Encrypt</c>.</param>
/// <param name="ReadOnly">Whether the operation changes nothing (CloudTrail's <c>readOnly</c>).</param>
internal sealed record Operation(string Service, string Name, bool ReadOnly)
{
    /// <summary>The IAM action, e.g. <c>kms:Encrypt</c>.</summary>
    public string Action { get; } = $"{Service}:{Name}";

    /// <summary>The service as the AWS SDKs name it (their service id: <c>KMS</c>, <c>SSM</c>, <c>Secrets Manager</c>, <c>ACM</c>, <c>ACM PCA</c>), for telemetry.</summary>
    public string SdkService { get; } = SdkServiceOf(Service);

    /// <summary>The span name, as the AWS SDKs' instrumentation names a call: <c>KMS.Encrypt</c>.</summary>
    public string SpanName { get; } = $"{SdkServiceOf(Service)}.{Name}";

    private static string SdkServiceOf(string service) => service switch
    {
        "kms" => "KMS",
        "ssm" => "SSM",
        "secretsmanager" => "Secrets Manager",
        "acm" => "ACM",
        "acm-pca" => "ACM PCA",
        _ => service,
    };
}

/// <summary>Something a request acts on, named by its ARN for authorization, audit and logs.</summary>
internal interface IArnResource
{
    string Arn { get; }
}

/// <summary>The account itself: the resource of operations that name no resource (CreateKey, ListKeys, GenerateRandom).</summary>
internal sealed record AccountResource(string Arn) : IArnResource;

/// <summary>A request that may set <c>DryRun</c>: the pipeline stops after authorization and reports success as an error.</summary>
internal interface IDryRunRequest
{
    bool? DryRun { get; }
}

/// <summary>A request that names one KMS key by any of its identifier forms.</summary>
internal interface IKeyIdRequest
{
    string KeyId { get; }
}
