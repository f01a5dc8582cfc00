using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Secrets;
using Vaultlib.Secrets.Operations;

namespace Vaultlib.Tests.Secrets.Operations;

/// <summary>
/// Secrets Manager <c>GetRandomPassword</c>: for any options that allow a password, the password has exactly the
/// length asked, only allowed characters, and one of each included type when that is required; options that allow
/// none are refused as AWS refuses them.
/// </summary>
public sealed class GetRandomPasswordTests
{
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static class Arbitraries
    {
        public static Arbitrary<GetRandomPasswordRequest> Requests() =>
            (from length in Gen.Choose(1, 200)
             from excludeLower in ArbMap.Default.GeneratorFor<bool>()
             from excludeUpper in ArbMap.Default.GeneratorFor<bool>()
             from excludeNumbers in ArbMap.Default.GeneratorFor<bool>()
             from excludePunctuation in ArbMap.Default.GeneratorFor<bool>()
             from space in ArbMap.Default.GeneratorFor<bool>()
             from each in Gen.Elements<bool?>(null, true, false)
             from excluded in Gen.Elements("", "aeiou", "0O1lI", Punctuation, "abcdefghijklmnopqrstuvwxyz", " ")
             select new GetRandomPasswordRequest
             {
                 PasswordLength = length,
                 ExcludeLowercase = excludeLower,
                 ExcludeUppercase = excludeUpper,
                 ExcludeNumbers = excludeNumbers,
                 ExcludePunctuation = excludePunctuation,
                 IncludeSpace = space,
                 RequireEachIncludedType = each,
                 ExcludeCharacters = excluded,
             }).ToArbitrary();
    }

    [Property(Arbitrary = [typeof(Arbitraries)], MaxTest = 300)]
    public void Every_password_has_the_exact_length_and_only_allowed_characters(GetRandomPasswordRequest request)
    {
        string[] types = [.. new[]
            {
                request.ExcludeLowercase == true ? "" : "abcdefghijklmnopqrstuvwxyz",
                request.ExcludeUppercase == true ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                request.ExcludeNumbers == true ? "" : "0123456789",
                request.ExcludePunctuation == true ? "" : Punctuation,
            }.Select(t => new string([.. t.Where(c => !request.ExcludeCharacters!.Contains(c, StringComparison.Ordinal))])).Where(t => t.Length > 0)];
        string allowed = string.Concat(types) + (request.IncludeSpace == true && !request.ExcludeCharacters!.Contains(' ', StringComparison.Ordinal) ? " " : "");
        bool each = request.RequireEachIncludedType ?? true;
        if (allowed.Length == 0 || (each && request.PasswordLength < types.Length))
        {
            Assert.Throws<InvalidParameterException>(() => GetRandomPassword.Generate(request));
            return;
        }

        string password = GetRandomPassword.Generate(request);
        Assert.Equal(request.PasswordLength, password.Length);
        Assert.All(password, c => Assert.Contains(c, allowed));
        if (each)
        {
            Assert.All(types, t => Assert.Contains(password, t.Contains));
        }
    }

    [Fact]
    public async Task The_defaults_are_32_characters_of_every_type_and_the_limits_are_AWS_s()
    {
        using var sm = new InMemorySecretStore();
        string password = (await sm.GetRandomPasswordAsync(new GetRandomPasswordRequest())).RandomPassword;
        Assert.Equal(32, password.Length);
        Assert.Contains(password, char.IsAsciiLetterLower);
        Assert.Contains(password, char.IsAsciiLetterUpper);
        Assert.Contains(password, char.IsAsciiDigit);
        Assert.Contains(password, c => Punctuation.Contains(c, StringComparison.Ordinal));
        Assert.DoesNotContain(' ', password);
        Assert.Equal(4096, (await sm.GetRandomPasswordAsync(new GetRandomPasswordRequest { PasswordLength = 4096 })).RandomPassword.Length);
        Assert.Equal("PasswordLength", (await Assert.ThrowsAsync<ValidationException>(() => sm.GetRandomPasswordAsync(new GetRandomPasswordRequest { PasswordLength = 4097 }))).MemberName);
        await Assert.ThrowsAsync<ValidationException>(() => sm.GetRandomPasswordAsync(new GetRandomPasswordRequest { PasswordLength = 0 }));
        Assert.DoesNotContain(password, new GetRandomPasswordResponse { RandomPassword = password }.ToString(), StringComparison.Ordinal);
        Assert.NotEqual(password, (await sm.GetRandomPasswordAsync(new GetRandomPasswordRequest())).RandomPassword);
    }
}
