using Vaultlib.Pipeline;

namespace Vaultlib.Certificates.Acm;

/// <summary>An ACM operation: the shared operation base with the service named <c>acm</c>.</summary>
internal abstract class AcmOperation<TRequest, TResource, TResponse>(string name, bool readOnly)
    : ServiceOperation<AcmTable, TRequest, TResource, TResponse>("acm", name, readOnly)
    where TRequest : class
    where TResource : IArnResource;

/// <summary>An operation on one existing certificate named by the request's <c>CertificateArn</c>.</summary>
internal abstract class CertificateOperation<TRequest, TResponse>(string name, bool readOnly)
    : AcmOperation<TRequest, AcmRecord, TResponse>(name, readOnly)
    where TRequest : class
{
    /// <summary>The <c>CertificateArn</c> the request gives.</summary>
    protected abstract string ArnOf(TRequest request);

    public override void Validate(TRequest request) => Internal.Validate.Length("CertificateArn", ArnOf(request), 20, 2048);

    public override ValueTask<AcmRecord> ResolveAsync(AcmTable table, TRequest request, RequestContext context, CancellationToken cancellationToken) =>
        table.ResolveAsync(ArnOf(request), cancellationToken);

    /// <summary>Refuses a certificate that is not issued yet with <see cref="RequestInProgressException"/>, as AWS does.</summary>
    protected static void RequireIssued(AcmRecord record)
    {
        if (record.Certificate is null || record.Status == CertificateStatus.PENDING_VALIDATION)
        {
            throw new RequestInProgressException($"Certificate {record.Arn} is {record.Status}; it has no certificate yet.");
        }
    }
}
