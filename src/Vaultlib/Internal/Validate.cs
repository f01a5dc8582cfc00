using Vaultlib.Pipeline;

namespace Vaultlib.Internal;

/// <summary>
/// Request validation in AWS's terms: each failure is a <see cref="Pipeline.RequestFault"/> that
/// names the member and the allowed range, and never echoes a value that may be secret.
/// </summary>
internal static class Validate
{
    public static void Required(string member, object? value)
    {
        if (value is null)
        {
            throw new RequestFault(member, $"1 validation error detected: Value null at '{Camel(member)}' failed to satisfy constraint: Member must not be null.");
        }
    }

    public static void Length(string member, string? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Required(member, value);
            }

            return;
        }

        if (value.Length < min || value.Length > max)
        {
            throw new RequestFault(member, $"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must have length between {min} and {max} (inclusive); its length is {value.Length}.");
        }
    }

    public static void ByteLength(string member, ReadOnlyMemory<byte> value, int min, int max)
    {
        if (value.Length < min || value.Length > max)
        {
            throw new RequestFault(member, $"1 validation error detected: Value at '{Camel(member)}' failed to satisfy constraint: Member must have length between {min} and {max} bytes (inclusive); its length is {value.Length}.");
        }
    }

    public static void Range(string member, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new RequestFault(member, $"1 validation error detected: Value '{v}' at '{Camel(member)}' failed to satisfy constraint: Member must have value between {min} and {max} (inclusive).");
        }
    }

    public static void Defined<TEnum>(string member, TEnum? value)
        where TEnum : struct, Enum
    {
        if (value is { } v && !Enum.IsDefined(v))
        {
            throw new RequestFault(member, $"1 validation error detected: Value '{v}' at '{Camel(member)}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", Enum.GetNames<TEnum>())}].");
        }
    }

    public static void GrantTokens(IReadOnlyList<string>? tokens)
    {
        if (tokens is null)
        {
            return;
        }

        if (tokens.Count > 10)
        {
            throw new RequestFault("GrantTokens", $"1 validation error detected: Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10; it has {tokens.Count}.");
        }

        foreach (string token in tokens)
        {
            Length("GrantTokens", token, 1, 8192);
        }
    }

    private static string Camel(string member) => member.Length == 0 ? member : char.ToLowerInvariant(member[0]) + member[1..];
}
