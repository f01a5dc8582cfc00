using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.AwsProtocol;

namespace Vaultlib.Tests.AwsProtocol;

/// <summary>
/// SigV4 as AWS checks it, on requests a client signed: tampered bodies, headers, dates, Regions and services, replays
/// outside the five-minute window, session tokens, and unsigned requests (refused unless anonymous access is configured).
/// </summary>
public sealed class AwsCredentialsTests
{
    private const string AccessKey = "AKIASIGNATURETEST001";
    private const string Secret = "signature-test-secret-00000000000000000";
    private const string Target = "TrentService.ListKeys";
    private static readonly DateTimeOffset s_now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] s_body = """{"Limit":10}"""u8.ToArray();

    private static AwsCredentials Credentials() => new AwsCredentials().Add(AccessKey, Secret, "arn:aws:iam::111122223333:user/alice").Add("ASIATEMPORARY0000001", "temporary-secret", "arn:aws:sts::111122223333:assumed-role/app/s", sessionToken: "the-session-token");

    private static AwsSignedRequest Signed(byte[]? body = null, DateTimeOffset? at = null, string region = "us-east-1", string service = "kms", Func<List<(string Name, string Value)>, List<(string Name, string Value)>>? change = null)
    {
        List<(string Name, string Value)> headers = TestSigner.Headers(AccessKey, Secret, region, service, Target, body ?? s_body, at ?? s_now);
        return new AwsSignedRequest("POST", "/", string.Empty, change is null ? headers : change(headers), body ?? s_body);
    }

    private static string Refusal(AwsSignedRequest request, DateTimeOffset? now = null, string service = "kms", AwsCredentials? credentials = null)
    {
        var refused = Assert.ThrowsAny<VaultlibException>(() => (credentials ?? Credentials()).Authenticate(request, service, now ?? s_now));
        return refused.ErrorCode;
    }

    private static List<(string Name, string Value)> Replace(List<(string Name, string Value)> headers, string name, Func<string, string> value) =>
        [.. headers.Select(h => h.Name == name ? (h.Name, value(h.Value)) : h)];

    [Fact]
    public void A_signed_request_is_the_principal_its_key_stands_for_in_the_scope_s_Region()
    {
        (string? region, Vaultlib.Authorization.CallerIdentity caller) = Credentials().Authenticate(Signed(region: "eu-west-1"), "kms", s_now);
        Assert.Equal("eu-west-1", region);
        Assert.Equal("arn:aws:iam::111122223333:user/alice", caller.Principal);
        Assert.Equal(AccessKey, caller.UserId);
    }

    [Fact]
    public void A_tampered_body_header_date_Region_or_service_is_refused()
    {
        Assert.Equal("InvalidSignatureException", Refusal(new AwsSignedRequest("POST", "/", string.Empty, Signed().Headers, """{"Limit":11}"""u8.ToArray())));
        Assert.Equal("InvalidSignatureException", Refusal(Signed(change: h => Replace(h, "x-amz-target", _ => "TrentService.ListAliases"))));
        Assert.Equal("InvalidSignatureException", Refusal(Signed(change: h => Replace(h, "x-amz-date", d => d[..^3] + "01Z"))));
        Assert.Equal("IncompleteSignatureException", Refusal(Signed(change: h => Replace(h, "x-amz-date", _ => "20261130T120000Z")))); // not the scope's date
        Assert.Equal("InvalidSignatureException", Refusal(Signed(change: h => Replace(h, "authorization", a => a.Replace("/us-east-1/", "/us-west-2/", StringComparison.Ordinal)))));
        Assert.Equal("InvalidSignatureException", Refusal(Signed(change: h => Replace(h, "host", _ => "kms.us-west-2.amazonaws.com"))));
        Assert.Equal("InvalidSignatureException", Refusal(Signed(service: "ssm"))); // scoped to another service
        Assert.Equal("InvalidSignatureException", Refusal(Signed(change: h => Replace(h, "authorization", a => a[..^1] + (a[^1] == '0' ? '1' : '0')))));
    }

    [Fact]
    public void The_body_is_hashed_here_whatever_X_Amz_Content_SHA256_claims()
    {
        // A client's claimed hash of the original body does not make a changed body acceptable.
        string claimed = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s_body));
        AwsSignedRequest request = Signed(change: h => [.. h, ("x-amz-content-sha256", claimed)]);
        Assert.Equal("InvalidSignatureException", Refusal(request with { Body = """{"Limit":99}"""u8.ToArray() }));
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    [InlineData(3600, false)]
    public void Replays_outside_five_minutes_either_way_are_refused_as_expired(int secondsLater, bool accepted)
    {
        AwsSignedRequest request = Signed();
        DateTimeOffset now = s_now.AddSeconds(secondsLater);
        if (accepted)
        {
            Assert.Equal("us-east-1", Credentials().Authenticate(request, "kms", now).Region);
        }
        else
        {
            var refused = Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(request, "kms", now));
            Assert.Equal("InvalidSignatureException", refused.ErrorCode);
            Assert.StartsWith("Signature expired:", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Host_and_x_amz_date_must_be_signed_and_an_unknown_key_is_unrecognized()
    {
        Assert.Equal("IncompleteSignatureException", Refusal(Signed(change: h => Replace(h, "authorization", a => a.Replace("SignedHeaders=content-type;host;", "SignedHeaders=content-type;", StringComparison.Ordinal)))));
        Assert.Equal("IncompleteSignatureException", Refusal(Signed(change: h => Replace(h, "authorization", a => a.Replace(";x-amz-date", string.Empty, StringComparison.Ordinal)))));
        Assert.Equal("IncompleteSignatureException", Refusal(Signed(change: h => Replace(h, "authorization", _ => "AWS4-HMAC-SHA256 Credential=broken"))));
        Assert.Equal("UnrecognizedClientException", Refusal(Signed(change: h => Replace(h, "authorization", a => a.Replace(AccessKey, "AKIAUNKNOWN000000000", StringComparison.Ordinal)))));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA1 Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256 =x, Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms, SignedHeaders=host;x-amz-date, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms/aws5_request, SignedHeaders=host;x-amz-date, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/2026112/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=SIG0")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=UPPER")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=x-amz-date;host, Signature=SIG")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIA/20261129/us-east-1/kms/aws4_request, SignedHeaders=host;host;x-amz-date, Signature=SIG")]
    public void Authorization_headers_not_of_AWS_s_shape_are_incomplete(string header)
    {
        string signature = new('a', 64);
        header = header.Replace("Signature=SIG0", "Signature=" + signature + "0", StringComparison.Ordinal)
            .Replace("Signature=SIG", "Signature=" + signature, StringComparison.Ordinal)
            .Replace("Signature=UPPER", "Signature=" + new string('a', 63) + "A", StringComparison.Ordinal);
        var request = new AwsSignedRequest("POST", "/", string.Empty, [("host", "kms.us-east-1.amazonaws.com"), ("x-amz-date", "20261129T120000Z"), ("authorization", header)], s_body);
        var refused = Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(request, "kms", s_now));
        Assert.Equal("IncompleteSignatureException", refused.ErrorCode);
    }

    [Fact]
    public void Refusals_say_what_AWS_says()
    {
        var unsigned = new AwsSignedRequest("POST", "/", string.Empty, [("host", "kms.us-east-1.amazonaws.com")], s_body);
        Assert.Equal("Request is missing Authentication Token", Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(unsigned, "kms", s_now)).Message);
        AwsSignedRequest tampered = Signed() with { Body = "{}"u8.ToArray() };
        Assert.StartsWith("The request signature we calculated does not match the signature you provided.", Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(tampered, "kms", s_now)).Message, StringComparison.Ordinal);
        Assert.Equal("Credential should be scoped to correct service: 'ssm'.", Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(Signed(), "ssm", s_now)).Message);
        Assert.Equal("The security token included in the request is invalid.", Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(Signed(change: h => Replace(h, "authorization", a => a.Replace(AccessKey, "AKIAUNKNOWN000000000", StringComparison.Ordinal))), "kms", s_now)).Message);
        Assert.StartsWith("Signature expired: 20261129T120000Z is now earlier than 20261129T120100Z (20261129T120600Z - 5 min.)", Assert.ThrowsAny<VaultlibException>(() => Credentials().Authenticate(Signed(), "kms", s_now.AddMinutes(6))).Message, StringComparison.Ordinal);
        // A target of no service here is not held to a service: its signature is checked, then it is an unknown operation.
        Assert.Equal("us-east-1", Credentials().Authenticate(Signed(), null, s_now).Region);
    }

    [Fact]
    public void Keys_and_principals_are_required_and_signing_keys_are_derived_again_after_many_scopes()
    {
        Assert.Throws<ArgumentException>(() => new AwsCredentials().Add("", "s", "p"));
        Assert.Throws<ArgumentException>(() => new AwsCredentials().Add("a", "", "p"));
        Assert.Throws<ArgumentException>(() => new AwsCredentials().Add("a", "s", ""));
        Assert.Throws<ArgumentException>(() => new AwsCredentials().AllowAnonymous(""));
        Assert.Equal("AwsCredentials(2 access keys)", Credentials().ToString()); // how many, never which secrets

        // Seventy Regions' scopes for one key: past the kept 64 the cache starts again, and every signature still checks.
        AwsCredentials credentials = Credentials();
        for (int i = 0; i < 70; i++)
        {
            string region = $"xx-test-{i}";
            Assert.Equal(region, credentials.Authenticate(Signed(region: region), "kms", s_now).Region);
        }

        Assert.Equal("us-east-1", credentials.Authenticate(Signed(), "kms", s_now).Region);
    }

    [Fact]
    public void Temporary_credentials_need_their_session_token_signed_and_exact()
    {
        AwsSignedRequest With(string? token, string signedToken = "the-session-token")
        {
            List<(string Name, string Value)> headers = TestSigner.Headers("ASIATEMPORARY0000001", "temporary-secret", "us-east-1", "kms", Target, s_body, s_now, signedToken);
            headers = token is null ? [.. headers.Where(h => h.Name != "x-amz-security-token")] : Replace(headers, "x-amz-security-token", _ => token);
            return new AwsSignedRequest("POST", "/", string.Empty, headers, s_body);
        }

        Assert.Equal("arn:aws:sts::111122223333:assumed-role/app/s", Credentials().Authenticate(With("the-session-token"), "kms", s_now).Caller.Principal);
        Assert.Equal("UnrecognizedClientException", Refusal(With(null)));
        Assert.Equal("UnrecognizedClientException", Refusal(With("another-token", signedToken: "another-token")));
    }

    [Fact]
    public void Unsigned_requests_are_refused_unless_anonymous_access_is_configured_for_a_principal()
    {
        var unsigned = new AwsSignedRequest("POST", "/", string.Empty, [("host", "kms.eu-west-1.amazonaws.com"), ("x-amz-target", Target)], s_body);
        Assert.Equal("MissingAuthenticationTokenException", Refusal(unsigned));

        AwsCredentials anonymous = Credentials().AllowAnonymous("arn:aws:iam::111122223333:user/anonymous");
        (string? region, Vaultlib.Authorization.CallerIdentity caller) = anonymous.Authenticate(unsigned, "kms", s_now);
        Assert.Equal(("eu-west-1", "arn:aws:iam::111122223333:user/anonymous", "anonymous"), (region, caller.Principal, caller.UserId));
        Assert.Null(anonymous.Authenticate(unsigned with { Headers = [("host", "127.0.0.1:4566")] }, "kms", s_now).Region);
        Assert.Null(anonymous.Authenticate(unsigned with { Headers = [("host", "kms.localhost.amazonaws.com")] }, "kms", s_now).Region);
        Assert.Equal("AwsCredentials(2 access keys, anonymous allowed)", anonymous.ToString());

        // A signature, when there is one, is still checked; and a session token without a signature is not anonymous.
        Assert.Equal("InvalidSignatureException", Refusal(Signed(change: h => Replace(h, "x-amz-target", _ => "TrentService.Decrypt")), credentials: anonymous));
        Assert.Equal("MissingAuthenticationTokenException", Refusal(unsigned with { Headers = [.. unsigned.Headers, ("x-amz-security-token", "t")] }, credentials: anonymous));
    }

    [Property(MaxTest = 200)]
    public Property Any_changed_byte_of_the_body_or_a_signed_header_is_refused(NonNegativeInt where, byte flip)
    {
        AwsSignedRequest request = Signed();
        (string Name, string Value)[] signed = [.. request.Headers.Where(h => h.Name is "x-amz-target" or "host" or "content-type")];
        int total = s_body.Length + signed.Sum(h => h.Value.Length);
        int at = where.Get % total;
        byte delta = flip == 0 ? (byte)1 : flip;
        AwsSignedRequest tampered;
        if (at < s_body.Length)
        {
            byte[] body = [.. s_body];
            body[at] ^= delta;
            tampered = request with { Body = body };
        }
        else
        {
            at -= s_body.Length;
            (string name, string value) = signed.First(h => (at -= h.Value.Length) < 0);
            int index = at + value.Length;
            char changed = (char)(value[index] ^ (delta & 0x1F) | 0x20);
            changed = changed == value[index] || char.IsWhiteSpace(changed) ? (value[index] == 'a' ? 'b' : 'a') : changed;
            tampered = request with { Headers = Replace([.. request.Headers], name, v => v[..index] + changed + v[(index + 1)..]) };
        }

        bool refused;
        try
        {
            Credentials().Authenticate(tampered, "kms", s_now);
            refused = false;
        }
        catch (VaultlibException)
        {
            refused = true;
        }

        return refused.ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property The_canonical_request_s_hash_is_the_hash_of_the_canonical_request(NonEmptyString value, PositiveInt pad)
    {
        // Header values of any length and characters (surrogate pairs across the hasher's 256-character chunks included).
        string text = new string('a', pad.Get % 600) + value.Get + "\U0001F600" + value.Get;
        List<(string Name, string Value)> headers = [("host", "kms.us-east-1.amazonaws.com"), ("x-amz-date", "20261129T120000Z"), ("x-amz-meta", text)];
        string[] signed = ["host", "x-amz-date", "x-amz-meta"];
        Span<byte> hash = stackalloc byte[32];
        SigV4.CanonicalRequestHash("POST", "/", string.Empty, headers, signed, s_body, hash);
        string canonical = SigV4.CanonicalRequest("POST", "/", string.Empty, headers, signed, s_body);
        return hash.SequenceEqual(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToProperty();
    }

    [Fact]
    public void A_surrogate_pair_across_the_hasher_s_chunks_hashes_as_the_string_does()
    {
        // The emoji's two halves land on every position of a 256-character window, the boundary included.
        Span<byte> hash = stackalloc byte[32];
        for (int pad = 0; pad < 300; pad++)
        {
            List<(string Name, string Value)> headers = [("host", "h"), ("x-amz-date", "20261129T120000Z"), ("x-amz-meta", new string('a', pad) + "\U0001F600é")];
            string[] signed = ["host", "x-amz-date", "x-amz-meta"];
            SigV4.CanonicalRequestHash("POST", "/", string.Empty, headers, signed, s_body, hash);
            Assert.True(hash.SequenceEqual(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(SigV4.CanonicalRequest("POST", "/", string.Empty, headers, signed, s_body)))), $"pad {pad}");
        }
    }

    [Theory]
    [InlineData("//", "/")]
    [InlineData("/a/../", "/")]
    [InlineData("/a/./b/", "/a/b/")]
    public void Canonical_paths_drop_empty_and_dot_segments(string path, string canonical) =>
        Assert.StartsWith($"GET\n{canonical}\n", SigV4.CanonicalRequest("GET", path, string.Empty, [("host", "h")], ["host"], []), StringComparison.Ordinal);
}
