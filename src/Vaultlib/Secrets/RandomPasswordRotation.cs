using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vaultlib.Secrets;

/// <summary>
/// A ready rotation function for a secret that is only a password, or a JSON object with a <c>password</c> member
/// (the shape AWS keeps credentials in), where nothing outside the vault has to change: <c>createSecret</c> puts a
/// copy of AWSCURRENT with a new password from <c>GetRandomPassword</c> as the AWSPENDING version (unless a retried
/// rotation already made it), <c>setSecret</c> and <c>testSecret</c> do nothing, and <c>finishSecret</c> moves
/// AWSCURRENT to the new version. For a database user's
/// password use a function that also changes it in the database (<c>PostgreSqlPasswordRotation</c>).
/// </summary>
public sealed class RandomPasswordRotation : SecretRotationFunction
{
    /// <summary>JSON as AWS's functions write it: characters escaped only where JSON needs it, not for HTML.</summary>
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The characters new passwords leave out (by default those AWS's rotation functions leave out).</summary>
    public string ExcludeCharacters { get; init; } = "/@\"'\\";

    /// <summary>The length of new passwords (AWS's default, 32).</summary>
    public int PasswordLength { get; init; } = 32;

    /// <inheritdoc/>
    protected override async Task CreateSecretAsync(SecretRotationEvent rotationEvent, ISecretStore secrets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotationEvent);
        ArgumentNullException.ThrowIfNull(secrets);
        SecretRotationEvent e = rotationEvent;
        if (await PendingExistsAsync(e, secrets, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        GetSecretValueResponse current = await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = e.SecretId, VersionStage = "AWSCURRENT" }, cancellationToken).ConfigureAwait(false);
        string text = current.SecretString ?? throw new InvalidOperationException("createSecret: the AWSCURRENT version is binary; a random password rotation needs a string.");
        string password = (await secrets.GetRandomPasswordAsync(new GetRandomPasswordRequest { PasswordLength = PasswordLength, ExcludeCharacters = ExcludeCharacters }, cancellationToken).ConfigureAwait(false)).RandomPassword;
        string pending = password;
        if (TryParseObject(text) is JsonObject json && json.ContainsKey("password"))
        {
            json["password"] = password;
            pending = json.ToJsonString(s_json);
        }

        await secrets.PutSecretValueAsync(new PutSecretValueRequest { SecretId = e.SecretId, ClientRequestToken = e.ClientRequestToken, SecretString = pending, VersionStages = ["AWSPENDING"] }, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
