using System.Security.Cryptography;

namespace Vaultlib.Secrets;

/// <summary>
/// Replication to other regions of the same host, as Secrets Manager does it: a primary secret lists its replicas;
/// after every change to it, each replica (a read-only secret of the same name and ARN suffix in its region) is
/// brought in line: metadata and staging labels copied, and each version it does not have yet decrypted in the
/// primary's region and encrypted again under the replica region's key, with the replica's ARN as context, by the
/// service itself (as the account root through <c>secretsmanager.&lt;region&gt;.amazonaws.com</c>). A replica whose
/// region holds another secret of that name fails, unless the overwrite was asked for. StopReplicationToReplica,
/// called in the replica's region, makes it a standalone secret.
/// </summary>
internal sealed partial class SecretTable
{
    /// <summary>The table of another region of the same account (set by the host that owns every region).</summary>
    public Func<string, SecretTable>? Regions { get; set; }

    /// <summary>Whether <paramref name="secret"/> is a replica here (its primary is in another region).</summary>
    public bool IsReplica(SecretRecord secret) => secret.PrimaryRegion != Options.Region;

    /// <summary>Brings every replica of <paramref name="primary"/> in line with it and records each one's state on the primary.</summary>
    public async ValueTask<SecretRecord> SyncReplicasAsync(SecretRecord primary, IReadOnlyCollection<string> overwrite, CancellationToken cancellationToken)
    {
        if (primary.Replicas.Count == 0)
        {
            return primary;
        }

        var statuses = new List<ReplicationStatusType>(primary.Replicas.Count);
        foreach (ReplicationStatusType replica in primary.Replicas)
        {
            string? failure = null;
            try
            {
                SecretTable target = Regions?.Invoke(replica.Region) ?? throw new InvalidOperationException($"No region {replica.Region} is reachable from this store.");
                await target.ApplyReplicaAsync(this, primary, replica.KmsKeyId, overwrite.Contains(replica.Region), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SecretsManagerException or InvalidOperationException or ArgumentException)
            {
                failure = ex is SecretsManagerException sm ? sm.Message : ex.GetType().Name;
            }

            statuses.Add(replica with { Status = failure is null ? "InSync" : "Failed", StatusMessage = failure is null ? "Replication succeeded" : failure });
        }

        SecretRecord? recorded = await ChangeAsync(
            primary.Name,
            current => current is null || current.Arn != primary.Arn ? current : current with { Replicas = [.. current.Replicas.Select(r => statuses.FirstOrDefault(s => s.Region == r.Region) ?? r)] },
            cancellationToken,
            syncReplicas: false).ConfigureAwait(false);
        return recorded ?? primary;
    }

    /// <summary>Deletes the replica of <paramref name="name"/> in this region (one that is not a replica of <paramref name="primaryArn"/> is left alone).</summary>
    public ValueTask<SecretRecord?> RemoveReplicaAsync(string name, string primaryArn, CancellationToken cancellationToken) =>
        ChangeAsync(name, current => current is not null && IsReplica(current) && Suffix(current.Arn) == Suffix(primaryArn) ? null : current, cancellationToken, syncReplicas: false);

    /// <summary>This region's copy of <paramref name="primary"/>, from <paramref name="source"/>'s table.</summary>
    private ValueTask<SecretRecord?> ApplyReplicaAsync(SecretTable source, SecretRecord primary, string? kmsKeyId, bool overwrite, CancellationToken cancellationToken) =>
        ChangeAsync(
            primary.Name,
            async current =>
            {
                string arn = ArnPrefix + primary.Name + Suffix(primary.Arn);
                bool ours = current is not null && IsReplica(current) && current.Arn == arn;
                if (current is not null && !ours && !overwrite)
                {
                    throw new ResourceExistsException($"A secret named {primary.Name} already exists in {Options.Region}; replicate with ForceOverwriteReplicaSecret to replace it.");
                }

                var versions = new List<SecretVersionRecord>(primary.Versions.Count);
                foreach (SecretVersionRecord version in primary.Versions)
                {
                    SecretVersionRecord? mine = ours ? current!.Version(version.VersionId) : null;
                    versions.Add(mine is { Ciphertext: not null } || version.Ciphertext is null
                        ? (mine ?? version with { Ciphertext = null, KeyArn = null }) with { Stages = version.Stages }
                        : await CopyVersionAsync(source, primary, version, arn, kmsKeyId, cancellationToken).ConfigureAwait(false));
                }

                return primary with
                {
                    Arn = arn,
                    KmsKeyId = kmsKeyId,
                    Versions = versions,
                    Replicas = [],
                    RotationEnabled = false,
                    NextRotationDate = null,
                    PurgeDate = null,
                    DeletedDate = null,
                    LastAccessedDate = current?.LastAccessedDate,
                };
            },
            cancellationToken,
            syncReplicas: false);

    private async ValueTask<SecretVersionRecord> CopyVersionAsync(SecretTable source, SecretRecord primary, SecretVersionRecord version, string replicaArn, string? kmsKeyId, CancellationToken cancellationToken)
    {
        byte[] plaintext = await SecretCrypto.DecryptAsync(source, source.AccountRoot, primary.Arn, version, cancellationToken).ConfigureAwait(false);
        try
        {
            (byte[] sealedValue, string keyArn) = await SecretCrypto.EncryptAsync(this, AccountRoot, replicaArn, version.VersionId, kmsKeyId, plaintext, cancellationToken).ConfigureAwait(false);
            return version with { Ciphertext = sealedValue, KeyArn = keyArn, LastAccessedDate = null };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The ARN's ending: <c>-</c> and the six random characters.</summary>
    private static string Suffix(string arn) => arn[^7..];
}
