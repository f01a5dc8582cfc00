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
    public DateTimeOffset? NextPolicyDue => PolicyStates.Where(p => !p.Finished).Select(p => (DateTimeOffset?)p.DueAt).Min();

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

    public ParameterVersionRecord? FindVersion(long version) => Versions.FirstOrDefault(v => v.Version == version);

    public ParameterVersionRecord? FindLabel(string label) => Versions.FirstOrDefault(v => v.Labels.Contains(label));

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name).Append(", Versions = ").Append(Versions.Length);
        return true;
    }
}
