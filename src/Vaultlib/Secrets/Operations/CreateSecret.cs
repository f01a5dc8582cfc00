using Vaultlib.Pipeline;

namespace Vaultlib.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>CreateSecret</c>: A new secret, its ARN the name with <c>-</c> and six random characters, and,
/// when the request gives a value, a first version labelled AWSCURRENT, sealed under the secret's KMS key as the caller.
/// </summary>
internal sealed class CreateSecret() : SmOperation<CreateSecretRequest, NewSecretResource, CreateSecretResponse>("CreateSecret", readOnly: false)
{
    public static CreateSecret Instance { get; } = new();

    public override void Validate(CreateSecretRequest r)
    {
        SecretNames.ValidateName(r.Name);
        SecretNames.ValidateToken(r.ClientRequestToken, "ClientRequestToken");
        Internal.Validate.Length("Description", r.Description, 0, 2048, required: false);
        Internal.Validate.Length("KmsKeyId", r.KmsKeyId, 0, 2048, required: false);
        SecretValues.Validate(r.SecretString, r.SecretBinary, required: false);
        SecretTags.Validate(r.Tags);
        if (r.AddReplicaRegions is { } regions)
        {
            SecretReplicas.Validate(regions);
        }
    }

    public override ValueTask<NewSecretResource> ResolveAsync(SecretTable table, CreateSecretRequest r, RequestContext context, CancellationToken cancellationToken) =>
        new(new NewSecretResource(SecretNames.NewArn(table.ArnPrefix, r.Name)));

    public override RequestFacts Facts(CreateSecretRequest request) => SecretTags.Facts(request.Tags);

    public override async ValueTask<CreateSecretResponse> ExecuteAsync(SecretTable table, CreateSecretRequest r, NewSecretResource resource, RequestContext context, CancellationToken cancellationToken)
    {
        string? versionId = null;
        SecretRecord created = (await table.ChangeAsync(
            r.Name,
            async current =>
            {
                if (current is not null)
                {
                    throw current.IsDeleted
                        ? new InvalidRequestException("You can't create this secret because a secret with this name is already scheduled for deletion.")
                        : new ResourceExistsException($"The operation failed because the secret {r.Name} already exists.");
                }

                DateTimeOffset now = table.Now;
                var secret = new SecretRecord
                {
                    Name = r.Name,
                    Arn = resource.Arn,
                    Description = r.Description,
                    KmsKeyId = r.KmsKeyId,
                    CreatedDate = now,
                    LastChangedDate = now,
                    Tags = SecretTags.Merge([], r.Tags),
                    Versions = [],
                    PrimaryRegion = table.Options.Region,
                };
                if (r.SecretString is null && r.SecretBinary is null)
                {
                    return secret;
                }

                (SecretVersionRecord version, _) = await SecretValues.NewVersionAsync(table, context, secret, r.ClientRequestToken, r.SecretString, r.SecretBinary, cancellationToken).ConfigureAwait(false);
                versionId = version.VersionId;
                return secret with { Versions = [version with { Stages = [SecretStages.Current] }] };
            },
            cancellationToken).ConfigureAwait(false))!;
        if (r.AddReplicaRegions is { Count: > 0 } replicas)
        {
            created = await SecretReplicas.AddAsync(table, created, replicas, r.ForceOverwriteReplicaSecret == true, cancellationToken).ConfigureAwait(false);
        }

        return new CreateSecretResponse { ARN = created.Arn, Name = created.Name, VersionId = versionId, ReplicationStatus = created.Replicas.Count == 0 ? null : created.Replicas };
    }
}

/// <summary>The secret CreateSecret makes, named by the ARN it will have.</summary>
internal sealed record NewSecretResource(string Arn) : IArnResource;
