namespace Vaultlib.Envelope;

/// <summary>The root of envelope-encryption errors (the AWS Encryption SDK's <c>AwsCryptoException</c>).</summary>
public abstract class AwsCryptoException : VaultlibException
{
    /// <summary>Creates an envelope error with its code (the name the AWS Encryption SDKs use) and message; for your own keyrings' and materials managers' errors too.</summary>
    /// <param name="errorCode">The error's name, e.g. <c>CannotUnwrapDataKeyException</c>.</param>
    /// <param name="message">What went wrong, with no secret in it.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected AwsCryptoException(string errorCode, string message, Exception? innerException = null)
        : base(errorCode, message, innerException)
    {
    }
}

/// <summary>
/// The message is not a well-formed AWS Encryption SDK message, or it failed authentication. A
/// structural problem (truncation, an unknown version or suite, a length past the end) is named
/// precisely, since the structure is public; every authentication failure (header tag, frame tag,
/// key commitment, signature) carries the same message, so the error is no oracle.
/// </summary>
public sealed class BadCiphertextException : AwsCryptoException
{
    internal const string AuthenticationFailedMessage = "The message failed authentication: it was tampered with, or decrypted with the wrong data key.";

    /// <summary>Creates the error (for a keyring or materials manager of your own that finds a message malformed).</summary>
    /// <param name="message">What is malformed, with no secret in it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public BadCiphertextException(string message, Exception? innerException = null)
        : base("BadCiphertextException", message, innerException)
    {
    }

    internal static BadCiphertextException AuthenticationFailed() => new(AuthenticationFailedMessage);
}

/// <summary>No keyring could decrypt any of the message's encrypted data keys. Java ESDK <c>CannotUnwrapDataKeyException</c>.</summary>
public sealed class CannotUnwrapDataKeyException : AwsCryptoException
{
    /// <summary>Creates the error (for a keyring of your own that opens none of a message's keys).</summary>
    /// <param name="message">Which keys were tried, with no secret in it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CannotUnwrapDataKeyException(string message, Exception? innerException = null)
        : base("CannotUnwrapDataKeyException", message, innerException)
    {
    }

    /// <summary>
    /// What a keyring throws when none of a message's encrypted data keys opened: how many there were, which it
    /// tried (<paramref name="tried"/>), and every failure, also inside as an <see cref="AggregateException"/>.
    /// </summary>
    internal static CannotUnwrapDataKeyException NoneDecrypted(object keyring, int encryptedDataKeys, string tried, IReadOnlyList<Exception> errors) => new(
        $"{keyring} decrypted none of the message's {encryptedDataKeys} encrypted data keys ({tried}{(errors.Count == 0 ? "" : $"; {errors.Count} failed: {string.Join(" | ", errors.Select(e => e.Message))}")}).",
        errors.Count == 0 ? null : new AggregateException(errors));
}

/// <summary>
/// A keyring or materials manager refused (the Material Providers Library's
/// <c>AwsCryptographicMaterialProvidersException</c>): a KMS answer failed its checks, a discovery keyring was asked
/// to encrypt, or the materials were not in the state the keyring needs.
/// </summary>
public sealed class MaterialProvidersException : AwsCryptoException
{
    /// <summary>Creates the error (for a keyring or materials manager of your own).</summary>
    /// <param name="message">What was refused, with no secret in it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MaterialProvidersException(string message, Exception? innerException = null)
        : base("AwsCryptographicMaterialProvidersException", message, innerException)
    {
    }
}

/// <summary>The algorithm suite is not allowed by the commitment policy.</summary>
public sealed class CommitmentPolicyException : AwsCryptoException
{
    /// <summary>Creates the error.</summary>
    /// <param name="message">Which suite and policy.</param>
    public CommitmentPolicyException(string message)
        : base("CommitmentPolicyException", message)
    {
    }
}

/// <summary>A message carries more encrypted data keys than the configured maximum.</summary>
public sealed class MaxEncryptedDataKeysExceededException : AwsCryptoException
{
    /// <summary>Creates the error.</summary>
    /// <param name="count">The message's number of encrypted data keys.</param>
    /// <param name="maximum">The most allowed.</param>
    public MaxEncryptedDataKeysExceededException(int count, int maximum)
        : base("MaxEncryptedDataKeysExceededException", $"The message has {count} encrypted data keys; at most {maximum} are allowed.")
    {
    }
}

/// <summary>
/// An input member is missing, out of range, or an encryption context cannot be encoded (a lone
/// surrogate, an empty key, over 65,535 bytes) or uses a reserved key. The message names the member.
/// </summary>
public sealed class ValidationException : AwsCryptoException
{
    /// <summary>Creates the error for <paramref name="memberName"/>.</summary>
    public ValidationException(string memberName, string message)
        : base("ValidationException", message)
    {
        MemberName = memberName;
    }

    /// <summary>The input member at fault (e.g. <c>FrameLength</c>).</summary>
    public string MemberName { get; }
}

/// <summary>The encryption context encoder, with its failures reported as envelope <see cref="ValidationException"/>s.</summary>
internal static class EnvelopeContext
{
    public static byte[] Serialize(IReadOnlyDictionary<string, string>? context)
    {
        try
        {
            return Internal.EncryptionContextSerializer.Serialize(context);
        }
        catch (Pipeline.RequestFault fault)
        {
            throw new ValidationException(fault.MemberName, fault.Message);
        }
    }
}
