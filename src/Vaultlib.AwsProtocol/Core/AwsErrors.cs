using System.Text.Json;

namespace Vaultlib.AwsProtocol;

/// <summary>How an outcome reaches the client: AWS's error type, its HTTP status, and a message with no secret in it.</summary>
internal static class AwsErrors
{
    /// <summary>The error an exception is on the wire: a Vaultlib error keeps AWS's code (400, or 500 for the few AWS answers with 500); a request that does not parse is a SerializationException or ValidationException; anything else is an InternalFailure (500) whose message says nothing of the cause.</summary>
    public static (int Status, string Type, string Message) Of(Exception error) => error switch
    {
        VaultlibException known => (ServerSide.Contains(known.ErrorCode) ? 500 : 400, known.ErrorCode, known.Message),
        AwsEnumException invalid => (400, "ValidationException", invalid.Message),
        JsonException json when MissingMembers(json) is { } missing => (400, "ValidationException", $"{missing.Length} validation error{(missing.Length == 1 ? "" : "s")} detected: {string.Join("; ", missing.Select(m => $"Value null at '{m}' failed to satisfy constraint: Member must not be null"))}"),
        JsonException json => (400, "SerializationException", Clean(json)),
        _ => (500, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."),
    };

    /// <summary>Error codes AWS answers with HTTP 500.</summary>
    private static readonly HashSet<string> ServerSide = new(StringComparer.Ordinal)
    {
        "KMSInternalException", "InternalServerError", "InternalServiceError", "InternalFailure", "DependencyTimeoutException", "ServiceUnavailableException",
    };

    /// <summary>The members a request lacks, from System.Text.Json's "missing required properties including: 'A', 'B'." message.</summary>
    private static string[]? MissingMembers(JsonException json)
    {
        const string Marker = "missing required properties including: ";
        int at = json.Message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? null : [.. json.Message[(at + Marker.Length)..].TrimEnd('.').Split(", ").Select(m => m.Trim('\'', ' '))];
    }

    /// <summary>A JSON error's message with its path, never the input's bytes.</summary>
    private static string Clean(JsonException json) => json.Path is { Length: > 0 } path ? $"The request does not match the operation's shape at {path}." : "The request is not valid JSON for the operation.";
}
