namespace Vaultlib.Envelope;

/// <summary>
/// Combines keyrings (the ESDK's multi-keyring): on encrypt the generator makes the data key and
/// every keyring adds its encrypted copy, so any one of them can decrypt; on decrypt the keyrings
/// are tried in order (generator first) until one opens a data key. A keyring that fails on decrypt
/// does not stop the others; when none opens a key, the <see cref="CannotUnwrapDataKeyException"/>
/// carries every failure.
/// </summary>
public sealed class MultiKeyring : IKeyring
{
    private readonly IKeyring? _generator;
    private readonly IKeyring[] _children;

    /// <summary>Creates the multi-keyring.</summary>
    /// <param name="generator">The keyring that generates the data key; null when the materials will already have one.</param>
    /// <param name="children">Keyrings that each add an encrypted copy.</param>
    /// <exception cref="ArgumentException">There is neither a generator nor a child.</exception>
    public MultiKeyring(IKeyring? generator, IEnumerable<IKeyring>? children = null)
    {
        _generator = generator;
        _children = children?.ToArray() ?? [];
        if (_generator is null && _children.Length == 0)
        {
            throw new ArgumentException("A multi-keyring needs a generator or at least one child keyring.", nameof(children));
        }

        if (_children.Any(c => c is null))
        {
            throw new ArgumentException("A child keyring is null.", nameof(children));
        }
    }

    /// <inheritdoc/>
    public async ValueTask OnEncryptAsync(EncryptionMaterials materials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        if (_generator is not null)
        {
            if (materials.HasPlaintextDataKey)
            {
                throw new InvalidOperationException("The materials already have a data key, but this multi-keyring has a generator.");
            }

            await _generator.OnEncryptAsync(materials, cancellationToken).ConfigureAwait(false);
            if (!materials.HasPlaintextDataKey)
            {
                throw new InvalidOperationException($"The generator keyring {_generator} did not produce a data key.");
            }
        }
        else if (!materials.HasPlaintextDataKey)
        {
            throw new InvalidOperationException("This multi-keyring has no generator, and the materials have no data key.");
        }

        foreach (IKeyring child in _children)
        {
            await child.OnEncryptAsync(materials, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="CannotUnwrapDataKeyException">A keyring failed and none opened a data key (every failure is inside).</exception>
    public async ValueTask OnDecryptAsync(DecryptionMaterials materials, IReadOnlyList<EncryptedDataKey> encryptedDataKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(materials);
        List<Exception>? errors = null;
        foreach (IKeyring keyring in _generator is null ? _children : [_generator, .. _children])
        {
            if (materials.HasPlaintextDataKey)
            {
                return;
            }

            try
            {
                await keyring.OnDecryptAsync(materials, encryptedDataKeys, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                (errors ??= []).Add(e);
            }
        }

        if (!materials.HasPlaintextDataKey && errors is not null)
        {
            throw new CannotUnwrapDataKeyException(
                $"{this} decrypted none of the message's {encryptedDataKeys.Count} encrypted data keys: {string.Join(" | ", errors.Select(e => e.Message))}",
                new AggregateException(errors));
        }
    }

    /// <summary>The keyrings it combines.</summary>
    public override string ToString() => $"MultiKeyring(generator: {_generator?.ToString() ?? "none"}, children: {_children.Length})";
}
