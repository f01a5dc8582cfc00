using System.Security.Cryptography;
using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>UpdateSecret</c>: A new description and/or KMS key (the AWSCURRENT, AWSPENDING and AWSPREVIOUS
/// values are encrypted again under the new key, decrypted under the old one as the caller), and/or a new value,
/// which becomes AWSCURRENT as with PutSecretValue.
/// </summary>
internal sealed class UpdateSecret() : SecretOperation<UpdateSecretRequest, UpdateSecretResponse>("UpdateSecret", readOnly: false)
{
    public static UpdateSecret Instance { get; } = new();

    private static readonly string[] s_reEncrypted = [SecretStages.Current, SecretStages.Pending, SecretStages.Previous];

    protected override string SecretIdOf(UpdateSecretRequest request) => request.SecretId;

    public override void Validate(UpdateSecretRequest r)
    {
        base.Validate(r);
        SecretNames.ValidateToken(r.ClientRequestToken, "ClientRequestToken");
        Internal.Validate.Length("Description", r.Description, 0, 2048, required: false);
        Internal.Validate.Length("KmsKeyId", r.KmsKeyId, 0, 2048, required: false);
        SecretValues.Validate(r.SecretString, r.SecretBinary, required: false);
    }

    public override async ValueTask<UpdateSecretResponse> ExecuteAsync(SecretTable table, UpdateSecretRequest r, SecretRecord resolved, RequestContext context, CancellationToken cancellationToken)
    {
        string? versionId = null;
        SecretRecord updated = (await ChangeAsync(
            table,
            resolved,
            async current =>
            {
                DateTimeOffset now = table.Now;
                SecretRecord next = current with { Description = r.Description ?? current.Description, LastChangedDate = now };
                if (r.KmsKeyId is not null && r.KmsKeyId != current.KmsKeyId)
                {
                    next = await ReEncryptAsync(table, context, next with { KmsKeyId = r.KmsKeyId }, cancellationToken).ConfigureAwait(false);
                }

                if (r.SecretString is null && r.SecretBinary is null)
                {
                    return next;
                }

                (SecretVersionRecord version, bool existing) = await SecretValues.NewVersionAsync(table, context, next, r.ClientRequestToken, r.SecretString, r.SecretBinary, cancellationToken).ConfigureAwait(false);
                versionId = version.VersionId;
                return existing ? next : PutSecretValue.AddVersion(next, version, [SecretStages.Current], now);
            },
            cancellationToken).ConfigureAwait(false))!;
        return new UpdateSecretResponse { ARN = updated.Arn, Name = updated.Name, VersionId = versionId };
    }

    /// <summary>The secret with the labelled versions' values sealed again under its (new) key.</summary>
    private static async ValueTask<SecretRecord> ReEncryptAsync(SecretTable table, RequestContext context, SecretRecord secret, CancellationToken cancellationToken)
    {
        var versions = new List<SecretVersionRecord>(secret.Versions.Count);
        foreach (SecretVersionRecord version in secret.Versions)
        {
            if (version.Ciphertext is null || !s_reEncrypted.Any(version.Has))
            {
                versions.Add(version);
                continue;
            }

            byte[] plaintext = await SecretCrypto.DecryptAsync(table, context.Caller, secret.Arn, version, cancellationToken).ConfigureAwait(false);
            try
            {
                (byte[] sealedValue, string keyArn) = await SecretCrypto.EncryptAsync(table, context.Caller, secret.Arn, version.VersionId, secret.KmsKeyId, plaintext, cancellationToken).ConfigureAwait(false);
                versions.Add(version with { Ciphertext = sealedValue, KeyArn = keyArn });
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        return secret with { Versions = versions };
    }
}
