namespace Vaultlib.AwsProtocol;

/// <summary>What every answer carries on the wire, whichever transport sends it (the in-process handler, the HTTP endpoint).</summary>
internal static class AwsWire
{
    /// <summary>AWS JSON 1.1's content type.</summary>
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>The headers of <paramref name="answer"/> sent at <paramref name="now"/>: <c>x-amzn-RequestId</c>, <c>Date</c>, and <c>x-amzn-ErrorType</c> for an error.</summary>
    public static IEnumerable<(string Name, string Value)> Headers(AwsJsonResponse answer, DateTimeOffset now)
    {
        yield return ("x-amzn-RequestId", answer.RequestId);
        yield return ("Date", now.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        if (answer.ErrorType is { } type)
        {
            yield return ("x-amzn-ErrorType", type);
        }
    }
}
