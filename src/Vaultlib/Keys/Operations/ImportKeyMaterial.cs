using System.Security.Cryptography;
using Vaultlib.Internal;
using Vaultlib.Pipeline;

namespace Vaultlib.Keys.Operations;

/// <summary>
/// KMS <c>ImportKeyMaterial</c>: Unwraps key material with the wrapping key of the import token, checks it fits the
/// key, and makes it the key's material (a key waiting in PendingImport becomes Enabled). Only the material
/// imported first can be imported again (to replace expired or deleted material, or to change its expiry).
/// </summary>
internal sealed class ImportKeyMaterial() : KeyOperation<ImportKeyMaterialRequest, ImportKeyMaterialResponse>("ImportKeyMaterial", readOnly: false, KeyIdForms.KeyIdOrArn)
{
    public static ImportKeyMaterial Instance { get; } = new();

    public override RequestFacts Facts(ImportKeyMaterialRequest r)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal) { ["kms:ExpirationModel"] = (r.ExpirationModel ?? ExpirationModelType.KEY_MATERIAL_EXPIRES).ToString() };
        if (r.ValidTo is { } validTo)
        {
            keys["kms:ValidTo"] = validTo.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new RequestFacts { OperationKeys = keys };
    }

    public override void Validate(ImportKeyMaterialRequest r)
    {
        KmsValidate.KeyId(r.KeyId);
        Internal.Validate.ByteLength(nameof(r.ImportToken), r.ImportToken, 1, 6144);
        Internal.Validate.ByteLength(nameof(r.EncryptedKeyMaterial), r.EncryptedKeyMaterial, 1, 6144);
        Internal.Validate.Defined(nameof(r.ExpirationModel), r.ExpirationModel);
        ExpirationModelType model = r.ExpirationModel ?? ExpirationModelType.KEY_MATERIAL_EXPIRES;
        if (model == ExpirationModelType.KEY_MATERIAL_EXPIRES && r.ValidTo is null)
        {
            throw new ValidationException(nameof(r.ValidTo), "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES (the default).");
        }

        if (model == ExpirationModelType.KEY_MATERIAL_DOES_NOT_EXPIRE && r.ValidTo is not null)
        {
            throw new ValidationException(nameof(r.ValidTo), "ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.");
        }
    }

    public override async ValueTask<ImportKeyMaterialResponse> ExecuteAsync(KeyTable keys, ImportKeyMaterialRequest r, KeyRecord key, RequestContext context, CancellationToken cancellationToken)
    {
        KeyRules.RequireExternal(key);
        KeyRules.RequireNotPendingDeletion(key);
        DateTimeOffset now = keys.Now;
        if (r.ValidTo is { } validTo && (validTo <= now || validTo > now + KeyImport.MaxValidity))
        {
            throw new ValidationException(nameof(r.ValidTo), $"ValidTo must be in the future and at most {KeyImport.MaxValidity.TotalDays} days away.");
        }

        ImportParameters parameters = KeyImport.FindToken(key.ImportParameters, r.ImportToken.Span)
            ?? throw new InvalidImportTokenException($"The import token is not one GetParametersForImport issued for {key.Arn}.");
        if (parameters.ParametersValidTo <= now)
        {
            throw new ExpiredImportTokenException($"The import token for {key.Arn} expired at {parameters.ParametersValidTo:O}; call GetParametersForImport again.");
        }

        byte[] material = KeyImport.Unwrap(parameters, r.EncryptedKeyMaterial.Span);
        SecretBuffer secret;
        byte[]? publicKey;
        try
        {
            (secret, publicKey) = KeyImport.ReadMaterial(key.KeySpec, material);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }

        try
        {
            string materialId = KeyImport.MaterialId(secret, key.KeyId);
            ExpirationModelType model = r.ExpirationModel ?? ExpirationModelType.KEY_MATERIAL_EXPIRES;
            KeyRecord imported = await keys.MutateAsync(key.KeyId, k =>
            {
                if (k.ImportedKeyMaterialId is { } previous && !string.Equals(previous, materialId, StringComparison.Ordinal))
                {
                    throw new IncorrectKeyMaterialException($"The key material is not the key material previously imported into {k.Arn}; only that material can be imported again.");
                }

                return k.HasMaterial
                    ? k with { ExpirationModel = model, ValidTo = r.ValidTo }
                    : k with
                    {
                        Materials = [new KeyMaterial(1, materialId, now, null, secret, publicKey)],
                        ImportedKeyMaterialId = materialId,
                        ExpirationModel = model,
                        ValidTo = r.ValidTo,
                        KeyState = k.KeyState == KeyState.PendingImport ? KeyState.Enabled : k.KeyState,
                    };
            }, cancellationToken).ConfigureAwait(false);
            if (!imported.Materials.Any(m => ReferenceEquals(m.Secret, secret)))
            {
                secret.Dispose(); // re-imported: the key keeps the instance it has
            }

            return new ImportKeyMaterialResponse { KeyId = key.Arn, KeyMaterialId = materialId };
        }
        catch
        {
            secret.Dispose();
            throw;
        }
    }
}
