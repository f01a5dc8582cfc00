using System.Globalization;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// The SigV4 rules AWS's test suite (<see cref="SigV4SuiteTests"/>) does not reach: the scheme's separator, dot
/// segments above the root, bare query names, and the host a signed request names for its endpoint.
/// </summary>
public sealed class SigV4Tests
{
    private const string Valid = "Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    private static string[] Lines(string path, string query) =>
        SigV4.CanonicalRequest("GET", path, query, [], [], []).Split('\n');

    [Fact]
    public void The_scheme_is_the_algorithm_name_then_a_space()
    {
        Assert.NotNull(SigV4.Parse(SigV4.Algorithm + " " + Valid));
        Assert.Null(SigV4.Parse(SigV4.Algorithm + "," + Valid));
        Assert.Null(SigV4.Parse(SigV4.Algorithm + Valid));
        Assert.Null(SigV4.Parse("AWS4-HMAC-SHA512 " + Valid));
    }

    [Fact]
    public void Each_of_the_three_parts_is_required()
    {
        foreach (string missing in new[] { "Credential", "SignedHeaders", "Signature" })
        {
            string header = SigV4.Algorithm + " " + string.Join(", ", Valid.Split(", ").Where(p => !p.StartsWith(missing + "=", StringComparison.Ordinal)));
            Assert.Null(SigV4.Parse(header));
        }
    }

    [Fact]
    public void Dot_segments_above_the_root_are_dropped()
    {
        Assert.Equal("/x", Lines("/../x", string.Empty)[1]);
        Assert.Equal("/", Lines("/..", string.Empty)[1]);
        Assert.Equal("/a", Lines("/a/b/../../../a", string.Empty)[1]);
    }

    [Fact]
    public void A_bare_query_name_has_an_empty_value_and_parameters_sort_by_name_then_value()
    {
        Assert.Equal("a=&a=1&b=%20", Lines("/", "b=%20&a=1&a")[2]);
        Assert.Equal("=v&a=", Lines("/", "a&=v")[2]); // an empty name is a name
    }

    [Fact]
    public void A_signed_request_names_its_endpoint_s_authority_as_HttpClient_sends_it()
    {
        DateTimeOffset at = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
        foreach ((string endpoint, string host) in new[] { ("https://kms.us-east-1.amazonaws.com/", "kms.us-east-1.amazonaws.com"), ("http://127.0.0.1:4566/", "127.0.0.1:4566"), ("http://localhost:80/", "localhost") })
        {
            using HttpRequestMessage request = SigV4.SignedJsonRequest(new Uri(endpoint), "AKID", "secret", "us-east-1", "kms", "TrentService.ListKeys", "{}"u8.ToArray(), at);

            Assert.Equal(host, request.Headers.Host);
            string expected = SigV4.SignedJsonHeaders("AKID", "secret", "us-east-1", "kms", host, "TrentService.ListKeys", "{}"u8, at).Single(h => h.Name == "authorization").Value;
            Assert.Equal(expected, request.Headers.GetValues("authorization").Single());
        }
    }
}
