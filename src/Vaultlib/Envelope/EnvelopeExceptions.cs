namespace Vaultlib.Envelope;

/// <summary>The root of envelope-encryption errors (the AWS Encryption SDK's <c>AwsCryptoException</c>).</summary>
public abstract class AwsCryptoException : VaultlibException
{
    private protected AwsCryptoException(string errorCode, string message, Exception? innerException = null)
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

    internal BadCiphertextException(string message, Exception? innerException = null)
        : base("BadCiphertextException", message, innerException)
    {
    }

    internal static BadCiphertextException AuthenticationFailed() => new(AuthenticationFailedMessage);
}

/// <summary>No keyring could decrypt any of the message's encrypted data keys. Java ESDK <c>CannotUnwrapDataKeyException</c>.</summary>
public sealed class CannotUnwrapDataKeyException : AwsCryptoException
{
    internal CannotUnwrapDataKeyException(string message, Exception? innerException = null)
        : base("CannotUnwrapDataKeyException", message, innerException)
    {
    }
}

/// <summary>The algorithm suite is not allowed by the commitment policy.</summary>
public sealed class CommitmentPolicyException : AwsCryptoException
{
    internal CommitmentPolicyException(string message)
        : base("CommitmentPolicyException", message)
    {
    }
}

/// <summary>A message carries more encrypted data keys than the configured maximum.</summary>
public sealed class MaxEncryptedDataKeysExceededException : AwsCryptoException
{
    internal MaxEncryptedDataKeysExceededException(int count, int maximum)
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
