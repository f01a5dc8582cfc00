using System.Collections.Immutable;
using Vaultlib.Pipeline;

namespace Vaultlib.Parameters;

/// <summary>
/// One version of a parameter as the store holds it. A SecureString's value is only ever held as
/// KMS ciphertext (<see cref="Ciphertext"/>): a KMS <c>Encrypt</c> blob, or for values over KMS's
/// 4 KB limit an AWS Encryption SDK message under the same key (<see cref="Envelope"/>).
/// </summary>
internal sealed record ParameterVersionRecord
{
    public required long Version { get; init; }

    public required ParameterType Type { get; init; }

    /// <summary>The value of a String or StringList; null for a SecureString.</summary>
    public string? PlainValue { get; init; }

    /// <summary>The ciphertext of a SecureString; null otherwise.</summary>
    public byte[]? Ciphertext { get; init; }

    /// <summary>Whether <see cref="Ciphertext"/> is an Encryption SDK message rather than a KMS blob.</summary>
    public bool Envelope { get; init; }

    /// <summary>The KMS key of a SecureString, as the request named it (or <c>alias/aws/ssm</c>).</summary>
    public string? KeyId { get; init; }

    /// <summary>The ARN of that key when the value was encrypted.</summary>
    public string? KeyArn { get; init; }

    public required DateTimeOffset LastModifiedDate { get; init; }

    public required string LastModifiedUser { get; init; }

    public string? Description { get; init; }

    public string? AllowedPattern { get; init; }

    public required ParameterTier Tier { get; init; }

    public string? Policies { get; init; }

    /// <summary>The parsed policies of this version, with when each acts and whether it has.</summary>
    public ImmutableArray<PolicyState> PolicyStates { get; init; } = [];

    /// <summary>When the earliest pending policy acts; null when none is pending.</summary>
    public DateTimeOffset? NextPolicyDue
    {
        get
        {
            // Read on every GetParameter: a loop, not a query that allocates.
            DateTimeOffset? next = null;
            foreach (PolicyState policy in PolicyStates)
            {
                if (!policy.Finished && (next is null || policy.DueAt < next))
                {
                    next = policy.DueAt;
                }
            }

            return next;
        }
    }

    public required string DataType { get; init; }

    public required ImmutableArray<string> Labels { get; init; }

    // The generated ToString would list the value; keep it to identity.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Version = ").Append(Version).Append(", Type = ").Append(Type);
        return true;
    }
}

/// <summary>A parameter: its name, tags and versions (oldest first, at most 100). Immutable; replaced whole on every change.</summary>
internal sealed record ParameterRecord : IArnResource
{
    public const int MaxVersions = 100;

    /// <summary>The name as first created (with or without its leading <c>/</c>).</summary>
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required ImmutableSortedDictionary<string, string> Tags { get; init; }

    public required ImmutableArray<ParameterVersionRecord> Versions { get; init; }

    public ParameterVersionRecord Latest => Versions[^1];

    private string? _key;

    /// <summary>The name's identity (without its leading <c>/</c>), made once: it is read for every parameter a listing passes.</summary>
    public string Key => _key ??= ParameterNames.Key(Name);

    // The latest version as read without decryption, made once: records are immutable and a listing returns the same
    // Parameter for every read until the parameter changes. Tied to the version it shows, as a copy made with `with`
    // carries this field over.
    private StoredView? _stored;

    /// <summary>
    /// <paramref name="version"/> as a <see cref="Parameter"/> with its value as stored (a SecureString's ciphertext in
    /// base64, never its plaintext) and no selector; the latest version's is made once and shared, as it is immutable.
    /// </summary>
    public Parameter Stored(ParameterVersionRecord version, Func<ParameterRecord, ParameterVersionRecord, Parameter> make)
    {
        if (!ReferenceEquals(version, Latest))
        {
            return make(this, version);
        }

        StoredView? stored = Volatile.Read(ref _stored);
        if (stored is null || !ReferenceEquals(stored.Of, version))
        {
            stored = new StoredView(version, make(this, version));
            Volatile.Write(ref _stored, stored);
        }

        return stored.Shown;
    }

    private sealed record StoredView(ParameterVersionRecord Of, Parameter Shown);

    public ParameterVersionRecord? FindVersion(long version) => Versions.FirstOrDefault(v => v.Version == version);

    public ParameterVersionRecord? FindLabel(string label) => Versions.FirstOrDefault(v => v.Labels.Contains(label));

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Versions = ").Append(Versions.Length);
        return true;
    }
}
