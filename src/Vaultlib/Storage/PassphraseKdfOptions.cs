namespace Vaultlib.Storage;

/// <summary>
/// Argon2id cost parameters for stretching a passphrase into a root key (RFC 9106). The defaults
/// are OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). They apply when a store is
/// created; an existing store keeps the parameters recorded in its header.
/// </summary>
public sealed record PassphraseKdfOptions
{
    /// <summary>The smallest memory cost accepted, 8 MiB.</summary>
    public const int MinimumMemorySizeKiB = 8 * 1024;

    /// <summary>The largest memory cost accepted, 4 GiB; a header asking for more is refused.</summary>
    public const int MaximumMemorySizeKiB = 4 * 1024 * 1024;

    /// <summary>The largest pass count accepted.</summary>
    public const int MaximumIterations = 64;

    /// <summary>The largest lane count accepted.</summary>
    public const int MaximumParallelism = 16;

    /// <summary>OWASP's recommended minimum: 19 MiB, 2 iterations, 1 lane.</summary>
    public static PassphraseKdfOptions Default { get; } = new();

    /// <summary>Memory cost in KiB; at least <see cref="MinimumMemorySizeKiB"/>.</summary>
    public int MemorySizeKiB { get; init; } = 19 * 1024;

    /// <summary>Number of passes; at least 1.</summary>
    public int Iterations { get; init; } = 2;

    /// <summary>Degree of parallelism (lanes); at least 1.</summary>
    public int Parallelism { get; init; } = 1;

    internal void Validate(string location)
    {
        if (MemorySizeKiB is < MinimumMemorySizeKiB or > MaximumMemorySizeKiB
            || Iterations is < 1 or > MaximumIterations
            || Parallelism is < 1 or > MaximumParallelism)
        {
            throw new VaultStoreException(
                VaultStoreFailure.InvalidHeader,
                location,
                $"Argon2id parameters (memory {MemorySizeKiB} KiB, iterations {Iterations}, parallelism {Parallelism}) are outside the accepted ranges " +
                $"(memory {MinimumMemorySizeKiB}-{MaximumMemorySizeKiB} KiB, iterations 1-{MaximumIterations}, parallelism 1-{MaximumParallelism}).");
        }
    }
}
