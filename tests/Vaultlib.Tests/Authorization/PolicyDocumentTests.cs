using Vaultlib.Authorization;
using Vaultlib.Tests.TestSupport;

namespace Vaultlib.Tests.Authorization;

/// <summary>The policy grammar rule by rule: each refusal with the place it names, and the principal and evaluator rules at their edges.</summary>
public sealed class PolicyDocumentTests
{
    private const string Role = "arn:aws:iam::111122223333:role/app";
    private const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static PolicyDocumentException Refused(string json) => Assert.Throws<PolicyDocumentException>(() => PolicyDocument.Parse(json));

    private static string Statement(string body) => $$"""{"Version":"2012-10-17","Statement":[{{body}}]}""";

    private static PolicyRequest Request(string principal = Role, string action = "kms:Encrypt", params (string Key, string[] Values)[] context) => new()
    {
        Principal = principal,
        Action = action,
        Resource = Key,
        Context = context.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Values),
    };

    private static bool Allowed(string json, PolicyRequest request) => PolicyEvaluator.Evaluate([PolicyDocument.Parse(json)], request).IsAllowed;

    [Fact]
    public void Refusals_name_the_place_at_fault()
    {
        (string, string)[] rows =
        [
            ("""{"Version":"2012-10-17","Statement":[],"Extra":1}""", "Extra"),
            ("""{"Version":5,"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}""", "Version"),
            ("""{"Version":"2012-10-17","Id":5,"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}""", "Id"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":"x","Action":"*","Resource":"*"}}""", "Statement.NotPrincipal"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":["kms:Encrypt","encrypt"],"Resource":"*"}}""", "Statement.Action[1]"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","NotAction":["kms:Encrypt","encrypt"],"Resource":"*"}}""", "Statement.NotAction[1]"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":[]},"Action":"*","Resource":"*"}}""", "Statement.Principal.AWS"),
            ("""{"Version":"2012-10-17","Statement":"x"}""", "Statement"),
            ("""{"Version":"2012-10-17","Statement":[]}""", "Statement"),
            ("""{"Version":"2012-10-17","Statement":["x"]}""", "Statement[0]"),
            ("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},{"Effect":"Nope","Principal":"*","Action":"*","Resource":"*"}]}""", "Statement[1].Effect"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","NotResource":"*"}}""", "Statement"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*","Resource":"*"}}""", "Statement"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":5,"Action":"*","Resource":"*"}}""", "Statement.Principal"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Aws":"*"},"Action":"*","Resource":"*"}}""", "Statement.Principal.Aws"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","12345678901"]},"Action":"*","Resource":"*"}}""", "Statement.Principal.AWS[1]"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"11112222333a"},"Action":"*","Resource":"*"}}""", "Statement.Principal.AWS[0]"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/*"},"Action":"*","Resource":"*"}}""", "Statement.Principal.AWS[0]"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":["kms:Encrypt",{}],"Resource":"*"}}""", "Statement.Action[1]"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":[],"Resource":"*"}}""", "Statement.Action"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":[]}}""", "Statement.Condition"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":[]}}}""", "Statement.Condition.StringEquals"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{}}}}}""", "Statement.Condition.StringEquals.k"),
            ("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":["a",[]]}}}}""", "Statement.Condition.StringEquals.k[1]"),
        ];
        foreach ((string json, string location) in rows)
        {
            TheoryRows.Run(() => Refusals_name_the_place_at_faultCase(json, location), json, location);
        }
    }

    private static void Refusals_name_the_place_at_faultCase(string json, string location) =>
        Assert.Equal(location, Refused(json).Location);

    [Fact]
    public void A_document_that_is_not_an_object_or_has_no_statements_is_refused_by_name()
    {
        Assert.Contains("must be a JSON object", Refused("[]").Message, StringComparison.Ordinal);
        Assert.Contains("must be a JSON object", Refused("\"policy\"").Message, StringComparison.Ordinal);
        PolicyDocumentException none = Refused("""{"Version":"2012-10-17","Statement":[]}""");
        Assert.Contains("has no statements", none.Message, StringComparison.Ordinal);
        // A Statement that is neither an object nor an array is refused for its kind, not as an empty list.
        foreach (string statement in new[] { "\"Allow\"", "1", "null", "true" })
        {
            PolicyDocumentException kind = Refused($$"""{"Version":"2012-10-17","Statement":{{statement}}}""");
            Assert.Equal("Statement", kind.Location);
            Assert.Contains("must be an object or an array", kind.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Documents_nested_deeper_than_16_levels_are_refused()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20);
        Assert.Equal("MalformedPolicyDocument", Refused(Statement($$"""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Sid":{{deep}}}""")).ErrorCode);
        Assert.Throws<ArgumentNullException>(() => PolicyDocument.Parse(null!));
    }

    [Fact]
    public void Numbers_and_booleans_in_values_read_as_their_text()
    {
        string json = Statement("""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"NumericEquals":{"n":5},"Bool":{"b":true},"StringEquals":{"s":[7,false]}}}""");
        IReadOnlyList<PolicyCondition> conditions = PolicyDocument.Parse(json).Statements[0].Conditions;
        Assert.Equal(["5"], conditions[0].Values);
        Assert.Equal(["true"], conditions[1].Values);
        Assert.Equal(["7", "false"], conditions[2].Values);
        Assert.True(Allowed(json, Request(context: [("n", ["5"]), ("b", ["true"]), ("s", ["false"])])));
    }

    [Fact]
    public void Only_AWS_star_is_everyone()
    {
        PolicyStatement aws = PolicyDocument.Parse(Statement("""{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"*"}""")).Statements[0];
        Assert.True(aws.Principal!.IsEveryone);
        Assert.True(PolicyDocument.Parse(Statement("""{"Effect":"Allow","Principal":{"AWS":["*","*"]},"Action":"*","Resource":"*"}""")).Statements[0].Principal!.IsEveryone);
        Assert.True(PolicyDocument.Parse(Statement("""{"Effect":"Allow","Principal":{"Service":"x.amazonaws.com","AWS":"*"},"Action":"*","Resource":"*"}""")).Statements[0].Principal!.IsEveryone);

        string service = Statement("""{"Effect":"Allow","Principal":{"Service":"*"},"Action":"*","Resource":"*"}""");
        Assert.False(PolicyDocument.Parse(service).Statements[0].Principal!.IsEveryone);
        Assert.False(Allowed(service, Request()));
        Assert.True(Allowed(Statement("""{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"*","Resource":"*"}"""), Request("ssm.amazonaws.com")));
        Assert.False(Allowed(Statement("""{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"*","Resource":"*"}"""), Request("secretsmanager.amazonaws.com")));
    }

    [Fact]
    public void Account_principals_are_twelve_digits_or_the_account_root()
    {
        Assert.True(Allowed(Statement("""{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"*","Resource":"*"}"""), Request()));
        Assert.True(Allowed(Statement("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"*","Resource":"*"}"""), Request()));
        Assert.False(Allowed(Statement("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333Xroot"},"Action":"*","Resource":"*"}"""), Request()));
        Assert.False(Allowed(Statement("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"*","Resource":"*"}"""), Request()));
        Assert.False(Allowed(Statement("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam:::role/"},"Action":"*","Resource":"*"}"""), Request("ssm.amazonaws.com")));
    }

    [Fact]
    public void NotAction_and_NotResource_lists_exclude_every_entry()
    {
        string notAction = Statement("""{"Effect":"Allow","Principal":"*","NotAction":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}""");
        Assert.False(Allowed(notAction, Request(action: "kms:Encrypt")));
        Assert.False(Allowed(notAction, Request(action: "kms:Decrypt")));
        Assert.True(Allowed(notAction, Request(action: "kms:Sign")));

        string notResource = Statement($$"""{"Effect":"Allow","Principal":"*","Action":"*","NotResource":["arn:aws:kms:us-east-1:111122223333:key/other","{{Key}}"]}""");
        Assert.False(Allowed(notResource, Request()));
    }

    [Fact]
    public void Variables_are_substituted_only_in_version_2012_10_17_in_single_and_listed_statements()
    {
        foreach (string statements in new[]
        {
            """{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${v}"}}}""",
            """[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${v}"}}}]""",
        })
        {
            PolicyRequest literal = Request(context: [("k", ["${v}"])]);
            PolicyRequest substituted = Request(context: [("k", ["x"]), ("v", ["x"])]);
            string v2012 = $$"""{"Version":"2012-10-17","Statement":{{statements}}}""";
            string v2008 = $$"""{"Version":"2008-10-17","Statement":{{statements}}}""";
            Assert.True(Allowed(v2012, substituted));
            Assert.False(Allowed(v2012, literal));
            Assert.True(Allowed(v2008, literal));
            Assert.False(Allowed(v2008, substituted));
        }
    }

    [Fact]
    public void A_Null_condition_with_both_values_holds_either_way_and_conditions_evaluate_alone()
    {
        string both = Statement("""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"Null":{"k":["true","false"]}}}""");
        Assert.True(Allowed(both, Request()));
        Assert.True(Allowed(both, Request(context: [("k", ["x"])])));

        PolicyCondition condition = PolicyDocument.Parse(Statement("""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${v}"}}}""")).Statements[0].Conditions[0];
        // The public Evaluate takes policy values as written: no substitution.
        Assert.True(condition.Evaluate(new Dictionary<string, IReadOnlyList<string>> { ["k"] = ["${v}"] }));
        Assert.False(condition.Evaluate(new Dictionary<string, IReadOnlyList<string>> { ["k"] = ["x"], ["v"] = ["x"] }));
        Assert.Throws<ArgumentNullException>(() => condition.Evaluate(null!));
    }

    [Fact]
    public void Public_entry_points_refuse_null()
    {
        PolicyDocument policy = PolicyDocument.Parse(Statement("""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"""));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.Evaluate(null!, Request()));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.Evaluate([policy], null!));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.Evaluate([], null!));
        Assert.False(PolicyCondition.ArnMatches("arn:aws:kms:*", "arn:aws:kms"));
        Assert.True(PolicyCondition.ArnMatches("arn:aws:kms*", "arn:aws:kms"));
        Assert.False(PolicyCondition.ArnMatches("arn:aws:kms*", "ARN:AWS:KMS")); // short of six parts, still case-sensitive
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.Matches(null!, Request()));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.Matches(policy.Statements[0], null!));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.RoleOfSession(null!));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.IsRole(null!, "111122223333", "app"));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.AccountOfResource(null!));
        Assert.Throws<ArgumentNullException>(() => PolicyEvaluator.AccountOf(null!));
    }

    [Fact]
    public void Sessions_name_their_role()
    {
        (string, string?)[] rows =
        [
            ("arn:aws:sts::111122223333:assumed-role/app/session", "app"),
            ("arn:aws:sts::111122223333:federated-user/app", null),
            ("arn:aws:sts::111122223333:federated-user/app/x", null),
            ("arn:aws:sts::111122223333:assumed-role/app", null),
            ("arn:aws:sts::111122223333:assumed-role//session", null),
            ("arn:aws:sts::111122223333:assumed-role/app/", null),
            ("arn:aws:iam::111122223333:assumed-role/app/session", null),
            ("xrn:aws:sts::111122223333:assumed-role/app/session", null),
            ("arn:aws:sts::111122223333", null),
        ];
        foreach ((string principal, string? role) in rows)
        {
            TheoryRows.Run(() => Sessions_name_their_roleCase(principal, role), principal, role);
        }
    }

    private static void Sessions_name_their_roleCase(string principal, string? role) =>
        Assert.Equal(role, PolicyEvaluator.RoleOfSession(principal));

    [Fact]
    public void Role_ARNs_match_by_account_and_name_on_any_path()
    {
        (string, bool)[] rows =
        [
            ("arn:aws:iam::111122223333:role/app", true),
            ("arn:aws:iam::111122223333:role/path/to/app", true),
            ("arn:aws:iam::111122223333:role/application", false),
            ("arn:aws:iam::444455556666:role/app", false),
            ("arn:aws:sts::111122223333:role/app", false),
            ("xrn:aws:iam::111122223333:role/app", false),
            ("arn:aws:iam::111122223333:user/app", false),
            ("arn:aws:iam::111122223333", false),
        ];
        foreach ((string arn, bool isRole) in rows)
        {
            TheoryRows.Run(() => Role_ARNs_match_by_account_and_name_on_any_pathCase(arn, isRole), arn, isRole);
        }
    }

    private static void Role_ARNs_match_by_account_and_name_on_any_pathCase(string arn, bool isRole) =>
        Assert.Equal(isRole, PolicyEvaluator.IsRole(arn, "111122223333", "app"));

    [Fact]
    public void Ids_principal_types_and_statement_names_read_back()
    {
        PolicyDocument policy = PolicyDocument.Parse("""
            {"Version":"2012-10-17","Id":"key-policy","Statement":[
              {"Sid":"Named","Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df9"},"Action":"*","Resource":"*"},
              {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}
            """);
        Assert.Equal("key-policy", policy.Id);
        Assert.Equal(["Federated", "CanonicalUser"], policy.Statements[0].Principal!.ByType.Keys.Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("Named", policy.Statements[0].ToString());
        Assert.Equal("(Deny statement)", policy.Statements[1].ToString());
        Assert.Null(PolicyDocument.Parse(Statement("""{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}""")).Id);
    }
}
