using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vaultlib.AwsProtocol;

/// <summary>
/// AWS JSON 1.1 as Vaultlib's request and response records carry it: members by their AWS names (the records' own),
/// blobs as base64, timestamps as epoch seconds, enums as AWS's strings, absent members omitted, unknown members
/// ignored (as AWS's services ignore them).
/// </summary>
internal static class AwsJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            RespectRequiredConstructorParameters = true,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new EpochSecondsConverter());
        options.Converters.Add(new AwsEnumConverterFactory());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>Timestamps as AWS JSON writes them: seconds since the epoch, with a fraction.</summary>
    private sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out double seconds) && !double.IsNaN(seconds) && Math.Abs(seconds) < 253_402_300_800)
            {
                return DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
            }

            if (reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                return parsed;
            }

            throw new JsonException("A timestamp is epoch seconds.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round((value - DateTimeOffset.UnixEpoch).Ticks / (decimal)TimeSpan.TicksPerSecond, 3));
    }

    /// <summary>Enums as AWS's strings: the member's name, or its <see cref="JsonStringEnumMemberNameAttribute"/>; a string not in the set is <see cref="AwsEnumException"/>.</summary>
    private sealed class AwsEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(AwsEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class AwsEnumConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private readonly Dictionary<string, T> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<T, string> _names = [];

        public AwsEnumConverter()
        {
            foreach (FieldInfo field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                string name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
                var value = (T)field.GetValue(null)!;
                _byName[name] = value;
                _names[value] = name;
            }
        }

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"An enum value of {typeof(T).Name} is a string.");
            }

            string text = reader.GetString()!;
            return _byName.TryGetValue(text, out T value) ? value : throw new AwsEnumException(text, _byName.Keys);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(_names[value]);
    }
}

/// <summary>A string that is none of an enum's AWS values (AWS: a ValidationException).</summary>
internal sealed class AwsEnumException(string value, IEnumerable<string> allowed)
    : Exception($"Value '{value}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
