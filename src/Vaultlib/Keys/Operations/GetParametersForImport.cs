using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>
/// KMS <c>GetParametersForImport</c>: Returns a fresh RSA wrapping public key and the import token that goes with
/// it, both accepted for 24 hours, for a key whose origin is EXTERNAL. The wrapping private key is kept with the
/// key, sealed like its material; a key keeps its last five answers.
/// </summary>
internal sealed class GetParametersForImport() : KeyOperation<GetParametersForImportRequest, GetParametersForImportResponse>("GetParametersForImport", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static GetParametersForImport Instance { get; } = new();

    public override RequestFacts Facts(GetParametersForImportRequest r) => new()
    {
        OperationKeys = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kms:WrappingAlgorithm"] = r.WrappingAlgorithm.ToString(),
            ["kms:WrappingKeySpec"] = r.WrappingKeySpec.ToString(),
        },
    };

    public override void Validate(GetParametersForImportRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.Defined(nameof(r.WrappingAlgorithm), (AlgorithmSpec?)r.WrappingAlgorithm);
        Internal.Validate.Defined(nameof(r.WrappingKeySpec), (WrappingKeySpec?)r.WrappingKeySpec);
    }

    public override async ValueTask<GetParametersForImportResponse> ExecuteAsync(KeyTable keys, GetParametersForImportRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireExternal(key);
        KeyRules.RequireNotPendingDeletion(key);
        KeyImport.RequireSupported(key.KeySpec, r.WrappingAlgorithm, r.WrappingKeySpec);
        (SecretBuffer privateKey, byte[] publicKey) = KeyImport.NewWrappingKey(r.WrappingKeySpec);
        var parameters = new ImportParameters(RandomNumberGenerator.GetBytes(64), r.WrappingKeySpec, r.WrappingAlgorithm, keys.Now + KeyImport.ParametersLifetime, privateKey);
        try
        {
            await keys.MutateAsync(key.KeyId, k => k with { ImportParameters = [.. k.ImportParameters.Add(parameters).TakeLast(KeyImport.MaxOutstandingParameters)] }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            parameters.Release();
            throw;
        }

        return new GetParametersForImportResponse
        {
            KeyId = key.Arn,
            ImportToken = parameters.ImportToken.ToArray(),
            PublicKey = publicKey,
            ParametersValidTo = parameters.ParametersValidTo,
        };
    }
}
