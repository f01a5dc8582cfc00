using System.Text.Json;
using Vaultlib.Pipeline;
using Vaultlib.Secrets;
using SmErrors = Vaultlib.Secrets;

namespace Vaultlib.Parameters;

/// <summary>
/// Parameter Store's pass-through to Secrets Manager: GetParameter and GetParameters of
/// <c>/aws/reference/secretsmanager/&lt;secret id&gt;[:version id or staging label]</c> return the secret of the same
/// Region and account as AWS returns it, and nothing about it is kept here. AWS's rules, with its texts:
/// <list type="bullet">
/// <item>A selector that is empty or followed by another colon (so also a secret ARN) is
/// <see cref="ValidationException"/> <c>Invalid parameter name. Please use correct syntax for referencing a
/// version/label  &lt;name&gt;:&lt;version/label&gt;</c>, checked first.</item>
/// <item>Without <c>WithDecryption</c> true: <see cref="ValidationException"/> <c>WithDecryption flag must be True for
/// retrieving a Secret Manager secret.</c></item>
/// <item>The secret is read with the caller's own <c>secretsmanager:GetSecretValue</c> (and, behind it, KMS Decrypt
/// through Secrets Manager), after the caller's <c>ssm:GetParameter(s)</c> on the reference's name; a refusal, whether
/// or not the secret exists, is <see cref="ValidationException"/> <c>An error occurred while calling one AWS dependency
/// service.</c> and fails a GetParameters as a whole.</item>
/// <item>No such secret, version or label: <see cref="ParameterNotFoundException"/> (in GetParameters, the name is
/// among <c>InvalidParameters</c>); a secret scheduled for deletion: <see cref="ValidationException"/>
/// <c>Invalid Request to Secrets Manager</c>.</item>
/// <item>The answer: the reference's name without its selector, <c>SecureString</c>, the secret string as the value
/// (none for a binary secret), version 0, the selector as given, the secret's ARN, the version's creation date, no
/// <c>DataType</c>, and <c>SourceResult</c> the GetSecretValue result as JSON.</item>
/// </list>
/// A Parameter Store with no Secrets Manager beside it (one made on its own, not by a <see cref="VaultlibHost"/>)
/// finds no secret: every reference is <see cref="ParameterNotFoundException"/>.
/// </summary>
internal static class SecretReferences
{
    public const string Prefix = "/aws/reference/secretsmanager/";
    private const string BadSelector = "Invalid parameter name. Please use correct syntax for referencing a version/label  <name>:<version/label>";
    private const string DependencyFailed = "An error occurred while calling one AWS dependency service.";

    /// <summary>Whether <paramref name="name"/> is a reference to a Secrets Manager secret.</summary>
    public static bool IsReference(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The secret id and the selector (without its colon) of a reference; malformed ones are <see cref="ValidationException"/>.</summary>
    public static (string SecretId, string? Selector) Parse(string name, string member = "Name")
    {
        string rest = name[Prefix.Length..];
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return rest.Length == 0 ? throw new ValidationException(member, BadSelector) : (rest, null);
        }

        if (colon == 0 || colon == rest.Length - 1 || rest.IndexOf(':', colon + 1) >= 0)
        {
            throw new ValidationException(member, BadSelector);
        }

        return (rest[..colon], rest[(colon + 1)..]);
    }

    /// <summary>The reference's name without its selector (what Parameter Store authorizes and answers with).</summary>
    public static string NameOf(string name)
    {
        int colon = name.IndexOf(':', Prefix.Length);
        return colon < 0 ? name : name[..colon];
    }

    /// <summary>Refuses a reference read without decryption.</summary>
    public static void RequireDecryption(bool? withDecryption, string member = "WithDecryption")
    {
        if (withDecryption != true)
        {
            throw new ValidationException(member, "WithDecryption flag must be True for retrieving a Secret Manager secret.");
        }
    }

    /// <summary>The secret a (well-formed) reference names, read through Secrets Manager as the caller.</summary>
    public static async ValueTask<Parameter> ReadAsync(ParameterTable table, string requested, RequestContext context, CancellationToken cancellationToken)
    {
        (string secretId, string? selector) = Parse(requested);
        SecretTable secrets = table.SecretsManager?.Invoke() ?? throw NotFound(secretId, selector);
        SecretRecord? secret = await secrets.FindAsync(secretId, cancellationToken).ConfigureAwait(false);
        var request = new GetSecretValueRequest
        {
            SecretId = secretId,
            VersionId = selector is not null && secret?.Version(selector) is not null ? selector : null,
            VersionStage = selector is not null && secret?.Version(selector) is null ? selector : null,
        };
        GetSecretValueResponse value;
        try
        {
            value = await secrets.Pipeline.Invoke(Secrets.Operations.GetSecretValue.Instance, secrets, request, context.Caller, cancellationToken).ConfigureAwait(false);
        }
        catch (SmErrors.AccessDeniedException)
        {
            throw new ValidationException("Name", DependencyFailed);
        }
        catch (ResourceNotFoundException)
        {
            if (secret is null)
            {
                // AWS checks the caller's permission before it looks: a caller who may not read it learns nothing.
                Authorize(secrets, secretId, context);
            }

            throw NotFound(secretId, selector);
        }
        catch (InvalidRequestException)
        {
            throw new ValidationException("Name", "Invalid Request to Secrets Manager");
        }
        catch (SecretsManagerException)
        {
            throw new ValidationException("Name", DependencyFailed);
        }

        return new Parameter
        {
            Name = NameOf(requested),
            Type = ParameterType.SecureString,
            Value = value.SecretString,
            Version = 0,
            Selector = selector is null ? null : ":" + selector,
            SourceResult = SourceResult(value),
            LastModifiedDate = value.CreatedDate,
            ARN = value.ARN,
            DataType = null,
        };
    }

    private static void Authorize(SecretTable secrets, string secretId, RequestContext context)
    {
        try
        {
            secrets.Authorizer.Authorize(Secrets.Operations.GetSecretValue.Instance.Operation, new AccountResource(secrets.ArnPrefix + secretId), RequestFacts.None, context);
        }
        catch (SmErrors.AccessDeniedException)
        {
            throw new ValidationException("Name", DependencyFailed);
        }
    }

    private static ParameterNotFoundException NotFound(string secretId, string? selector) =>
        new($"An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret aws/reference/secretsmanager/{secretId}{(selector is null ? "null" : ":" + selector)} not found.");

    /// <summary>The GetSecretValue result as AWS puts it in <c>SourceResult</c> (members in lower camel case, the date in ISO 8601).</summary>
    private static string SourceResult(GetSecretValueResponse value)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ARN", value.ARN);
            json.WriteString("name", value.Name);
            json.WriteString("versionId", value.VersionId);
            if (value.SecretString is not null)
            {
                json.WriteString("secretString", value.SecretString);
            }
            else if (value.SecretBinary is { } binary)
            {
                json.WriteBase64String("secretBinary", binary.Span);
            }

            json.WriteStartArray("versionStages");
            foreach (string stage in value.VersionStages)
            {
                json.WriteStringValue(stage);
            }

            json.WriteEndArray();
            json.WriteString("createdDate", value.CreatedDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        try
        {
            return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer.GetBuffer());
        }
    }
}
