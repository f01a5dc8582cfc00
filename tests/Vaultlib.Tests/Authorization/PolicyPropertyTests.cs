using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Vaultlib.Authorization;

namespace Vaultlib.Tests.Authorization;

/// <summary>A generated policy and request over a small alphabet, so statements often match.</summary>
public sealed record PolicyCase(string[] Statements, string ExtraStatement, PolicyRequest Request)
{
    public override string ToString() => $"[{string.Join(",", Statements)}] + {ExtraStatement} for {Request.Principal} {Request.Action} {Request.Resource}";
}

public static class PolicyArbitraries
{
    private static readonly string[] s_principals = ["\"*\"", "{\"AWS\":\"111122223333\"}", "{\"AWS\":\"arn:aws:iam::111122223333:role/a\"}", "{\"AWS\":\"arn:aws:iam::444455556666:root\"}"];
    private static readonly string[] s_actions = ["\"kms:*\"", "\"kms:Encrypt\"", "\"kms:Decrypt\"", "\"*\"", "[\"kms:Encrypt\",\"kms:Decrypt\"]"];
    private static readonly string[] s_resources = ["\"*\"", "\"arn:aws:kms:us-east-1:111122223333:key/*\"", "\"arn:aws:kms:us-east-1:111122223333:key/k1\""];
    private static readonly string[] s_conditions = ["", ",\"Condition\":{\"StringEquals\":{\"t\":\"x\"}}", ",\"Condition\":{\"StringNotEquals\":{\"t\":\"x\"}}", ",\"Condition\":{\"Null\":{\"t\":\"true\"}}", ",\"Condition\":{\"ForAllValues:StringLike\":{\"t\":\"x*\"}}"];

    private static Gen<string> Statement(string effect) =>
        from principal in Gen.Elements(s_principals)
        from notPrincipal in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from action in Gen.Elements(s_actions)
        from notAction in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from resource in Gen.Elements(s_resources)
        from condition in Gen.Elements(s_conditions)
        select $$"""{"Effect":"{{effect}}","{{(notPrincipal ? "NotPrincipal" : "Principal")}}":{{principal}},"{{(notAction ? "NotAction" : "Action")}}":{{action}},"Resource":{{resource}}{{condition}}}""";

    public static Arbitrary<PolicyCase> Case() =>
        (from count in Gen.Choose(1, 4)
         from statements in Gen.ArrayOf(Gen.Elements("Allow", "Deny").SelectMany(Statement), count)
         from extraEffect in Gen.Elements("Allow", "Deny")
         from extra in Statement(extraEffect)
         from principal in Gen.Elements("arn:aws:iam::111122223333:role/a", "arn:aws:iam::111122223333:role/b", "arn:aws:iam::444455556666:role/c")
         from action in Gen.Elements("kms:Encrypt", "kms:Decrypt", "kms:DisableKey")
         from resource in Gen.Elements("arn:aws:kms:us-east-1:111122223333:key/k1", "arn:aws:kms:us-east-1:111122223333:key/k2")
         from t in Gen.Elements<string[]?>(null, ["x"], ["y"], ["x1", "x2"])
         select new PolicyCase(statements, extra, new PolicyRequest
         {
             Principal = principal,
             Action = action,
             Resource = resource,
             Context = t is null ? new Dictionary<string, IReadOnlyList<string>>() : new Dictionary<string, IReadOnlyList<string>> { ["t"] = t },
         })).ToArbitrary();
}

/// <summary>Monotonicity of the evaluation: more Deny never allows more; more Allow never denies more.</summary>
[Properties(Arbitrary = [typeof(PolicyArbitraries)], MaxTest = 500)]
public sealed class PolicyPropertyTests
{
    private static PolicyDocument Doc(IEnumerable<string> statements) => PolicyDocument.Parse($"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(",", statements)}]}}");

    [Property]
    public Property Adding_a_Deny_never_turns_a_denied_request_into_an_allowed_one(PolicyCase c)
    {
        string deny = c.ExtraStatement.Replace("\"Effect\":\"Allow\"", "\"Effect\":\"Deny\"", StringComparison.Ordinal);
        bool before = PolicyEvaluator.Evaluate([Doc(c.Statements)], c.Request).IsAllowed;
        bool after = PolicyEvaluator.Evaluate([Doc([.. c.Statements, deny])], c.Request).IsAllowed;
        return (!after || before).Label(c.ToString());
    }

    [Property]
    public Property Adding_an_Allow_never_turns_an_allowed_request_into_a_denied_one(PolicyCase c)
    {
        string allow = c.ExtraStatement.Replace("\"Effect\":\"Deny\"", "\"Effect\":\"Allow\"", StringComparison.Ordinal);
        bool before = PolicyEvaluator.Evaluate([Doc(c.Statements)], c.Request).IsAllowed;
        bool after = PolicyEvaluator.Evaluate([Doc([.. c.Statements, allow])], c.Request).IsAllowed;
        return (!before || after).Label(c.ToString());
    }
}
