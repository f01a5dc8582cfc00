namespace Vaultlib.Storage;

/// <summary>
/// A monotonic counter kept outside the vault (a TPM's NV counter, a separate service, a write-once
/// log): the one defence against rolling a whole vault back to an earlier copy, which nothing inside
/// the vault can detect. Vaultlib advances it after every commit of a service and, when the service
/// is loaded, refuses a vault whose manifest counter is lower (<see cref="VaultStoreFailure.RolledBack"/>).
/// </summary>
public interface IVaultRollbackCounter
{
    /// <summary>The highest counter recorded for the service of the vault; 0 when none.</summary>
    ValueTask<long> ReadAsync(Guid vaultId, string service, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="counter"/> for the service, unless a higher one is recorded already (never lowers it).</summary>
    ValueTask AdvanceAsync(Guid vaultId, string service, long counter, CancellationToken cancellationToken);
}
