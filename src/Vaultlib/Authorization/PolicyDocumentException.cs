namespace Vaultlib.Authorization;

/// <summary>
/// A policy document given to <see cref="PolicyDocument.Parse"/> is not valid JSON, breaks the IAM
/// policy grammar or exceeds its limits. The message names the place at fault
/// (<see cref="Location"/>, e.g. <c>Statement[1].Condition.StringEquals</c>). AWS error code
/// <c>MalformedPolicyDocument</c>, as IAM spells it. A service that parses a policy (a KMS key
/// policy, a secret's resource policy) reports it as its own <c>MalformedPolicyDocumentException</c>.
/// </summary>
public sealed class PolicyDocumentException : VaultlibException
{
    /// <summary>Creates the error for the place <paramref name="location"/> of the document.</summary>
    public PolicyDocumentException(string location, string message)
        : base("MalformedPolicyDocument", location.Length == 0 ? message : $"{location}: {message}")
    {
        ArgumentNullException.ThrowIfNull(location);
        Location = location;
        Detail = message;
    }

    /// <summary>Where in the document the problem is (empty for the document as a whole).</summary>
    public string Location { get; }

    /// <summary>What is wrong there, without the location.</summary>
    public string Detail { get; }
}
